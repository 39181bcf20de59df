import { holdsPermission, type WorkspaceAccess } from '../authz/authorize.js';
import { AppError } from '../errors/app-error.js';
import { DONE_STATUS } from './statuses.service.js';
import type { TaskRow } from './tables.js';

/** What a change made over someone else's claim adds to its event. */
export interface ClaimOverride {
  override: true;
  previousClaimant: { type: string; id: string };
}

/**
 * Only the claimant completes or releases a claimed task. Anyone else needs `tasks:override`, and the
 * change's event then records the override and whose claim it was; without it the answer is 409
 * TASK_CLAIMED_BY_OTHER naming the claimant (the caller works in the same workspace, where claims are
 * visible anyway). A done task's claim is history: reopening it overrides nobody.
 * Call it with the task row read after `mutateTask`'s lock, so the claim cannot change meanwhile.
 */
export function claimOverride(access: WorkspaceAccess, task: TaskRow, action: string): ClaimOverride | null {
  if (task.claimed_by_type === null || task.claimed_by_id === null || task.status === DONE_STATUS) return null;
  if (task.claimed_by_type === access.actor.type && task.claimed_by_id === access.actor.id) return null;
  const claimedBy = { type: task.claimed_by_type, id: task.claimed_by_id };
  if (holdsPermission(access, 'tasks:override')) return { override: true, previousClaimant: claimedBy };
  throw new AppError('TASK_CLAIMED_BY_OTHER', `Only whoever claimed this task (or a member allowed to override claims) can ${action} it`, {
    claimedBy,
  });
}
