import type { WorkspaceAccess } from '../authz/authorize.js';
import type { Db } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { nowIso } from '../lib/time.js';
import { requireActiveProject } from '../projects/projects.service.js';
import { claimOverride } from './claim-guard.js';
import { CLAIMED_STATUS, DONE_STATUS, initialStatus } from './statuses.service.js';
import { addAssignee } from './task-actions.service.js';
import { recordTaskEvent } from './task-events.js';
import { mutateTask, NO_CLAIM, updatedBy } from './task-mutation.js';
import { findTask, getTaskView, type AssigneeType, type TaskView } from './task-views.js';

function claimantOf(access: WorkspaceAccess): { type: AssigneeType; id: string } {
  const { actor } = access;
  if (actor.type === 'workspace_token') {
    throw new AppError('FORBIDDEN', 'A workspace access token is a team key, not a person or an agent: it cannot claim tasks', {
      refusedBy: 'token_permissions',
    });
  }
  return { type: actor.type, id: actor.id };
}

/**
 * Claims a task for the caller (a user, or an agent for itself) and moves it to in_progress.
 * The claim is one conditional UPDATE guarded by `claimed_by_id IS NULL`: of concurrent claims exactly
 * one changes the row, on SQLite and PostgreSQL alike; the others find it taken and get 409. The
 * claimant claiming again resumes a task they set aside (blocked…): it moves back to in_progress.
 */
export async function claimTask(db: Db, access: WorkspaceAccess, taskId: string): Promise<TaskView> {
  const claimant = claimantOf(access);
  return db.transaction().execute(async (trx) => {
    const task = await findTask(trx, taskId);
    await requireActiveProject(trx, task.project_id);
    const now = nowIso();
    const { numUpdatedRows } = await trx
      .updateTable('tasks')
      .set((eb) => ({
        claimed_by_type: claimant.type,
        claimed_by_id: claimant.id,
        // A resumed claim keeps the time it was first taken.
        claimed_at: eb.fn.coalesce('claimed_at', eb.val(now)),
        status: CLAIMED_STATUS,
        version: eb('version', '+', 1),
        ...updatedBy(access, now),
      }))
      .where('id', '=', taskId)
      .where('workspace_id', '=', access.workspaceId)
      .where((eb) =>
        eb.or([eb('claimed_by_id', 'is', null), eb.and([eb('claimed_by_id', '=', claimant.id), eb('status', '<>', CLAIMED_STATUS)])]),
      )
      .where('status', '<>', DONE_STATUS)
      .executeTakeFirst();
    if (numUpdatedRows === 0n) {
      const current = await findTask(trx, taskId);
      if (current.claimed_by_id !== null && current.claimed_by_id !== claimant.id) {
        throw new AppError('TASK_ALREADY_CLAIMED', 'Someone else claimed this task first', {
          claimedBy: { type: current.claimed_by_type, id: current.claimed_by_id },
        });
      }
      if (current.status === DONE_STATUS) throw new AppError('CONFLICT', 'This task is already done', { status: current.status });
      // Already the caller's and in progress: claiming again changes nothing.
      return getTaskView(trx, taskId);
    }
    await addAssignee(trx, taskId, claimant.type, claimant.id);
    const view = await getTaskView(trx, taskId);
    await recordTaskEvent(trx, access, view, { type: 'task.claimed' });
    return view;
  });
}

/**
 * The claimant gives a task back: the claim and their assignment go, and the task returns to the
 * workspace's first status, so the next worker listing open tasks finds it. Only the claimant
 * releases, or a member with `tasks:override` (recorded: claim-guard.ts); a done task stays done.
 */
export async function releaseTask(db: Db, access: WorkspaceAccess, taskId: string): Promise<TaskView> {
  claimantOf(access);
  return mutateTask(db, access, taskId, async (trx, task) => {
    if (task.status === DONE_STATUS) throw new AppError('CONFLICT', 'This task is already done', { status: task.status });
    const { claimed_by_type: type, claimed_by_id: id } = task;
    if (type === null || id === null) throw new AppError('CONFLICT', 'This task is not claimed: there is nothing to release');
    const override = claimOverride(access, task, 'release');
    await trx
      .updateTable('tasks')
      .set({ ...NO_CLAIM, status: await initialStatus(trx, access.workspaceId), completed_at: null })
      .where('id', '=', task.id)
      .execute();
    await trx
      .deleteFrom('task_assignees')
      .where('task_id', '=', task.id)
      .where('assignee_type', '=', type)
      .where('assignee_id', '=', id)
      .execute();
    return { type: 'task.released', extra: { ...override } };
  });
}
