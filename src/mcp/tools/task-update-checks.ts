import { agentView } from '../../agents/agents.service.js';
import type { WorkspaceAccess } from '../../authz/authorize.js';
import type { Db } from '../../db/database.js';
import { AppError, notFound } from '../../errors/app-error.js';
import { getLabel } from '../../labels/labels.service.js';
import { claimOverride } from '../../tasks/claim-guard.js';
import type { TaskRow } from '../../tasks/tables.js';
import { loadTaskView } from '../../tasks/task-views.js';
import { getMember } from '../../workspaces/members.service.js';

/** The label and assignee edits of one update_task call. */
export interface LinkEdits {
  addLabels: readonly string[];
  removeLabels: readonly string[];
  addAssignees: readonly string[];
  removeAssignees: readonly string[];
}

/** Users and agents are told apart by their id's prefix (src/lib/ids.ts). */
export function isAgentId(id: string): boolean {
  return id.startsWith('agt_');
}

/** What `read` finds, or null when it answers NOT_FOUND; any other failure goes on up. */
async function unlessMissing<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
    throw err;
  }
}

async function requireWorkspaceLabel(db: Db, workspaceId: string, labelId: string): Promise<void> {
  const label = await unlessMissing(getLabel(db, labelId));
  if (label?.workspace_id !== workspaceId) throw notFound('Label');
}

// The refusals POST /tasks/{id}/assignees gives (task-actions.service.ts), asked before anything is written.
async function requireAssignable(db: Db, workspaceId: string, id: string): Promise<void> {
  if (isAgentId(id)) {
    const agent = await unlessMissing(agentView(db, id));
    if (agent?.workspaceId !== workspaceId)
      throw new AppError('ASSIGNEE_NOT_MEMBER', 'Only agents of this workspace can be assigned', { agentId: id });
    return;
  }
  const member = await unlessMissing(getMember(db, workspaceId, id));
  if (!member) throw new AppError('ASSIGNEE_NOT_MEMBER', 'Only members of this workspace can be assigned', { userId: id });
}

/**
 * Refuses, before the first write, every label or assignee edit the label and assignee services would
 * refuse part-way: update_task takes them in several steps, and a late refusal would leave the earlier
 * steps applied. Same codes and messages as those services give.
 */
export async function requireApplicable(db: Db, access: WorkspaceAccess, task: TaskRow, edits: LinkEdits): Promise<void> {
  const { workspaceId } = access;
  for (const id of edits.addLabels) await requireWorkspaceLabel(db, workspaceId, id);
  for (const id of edits.addAssignees) await requireAssignable(db, workspaceId, id);
  if (edits.removeLabels.length === 0 && edits.removeAssignees.length === 0) return;
  const view = await loadTaskView(db, task);
  // Added earlier in the same call counts: labels and assignees are added before any is removed.
  const labelled = new Set([...view.labels.map((label) => label.id), ...edits.addLabels]);
  const assigned = new Set([...view.assignees.map((assignee) => assignee.id), ...edits.addAssignees]);
  for (const id of edits.removeLabels) if (!labelled.has(id)) throw notFound('Label on this task');
  for (const id of edits.removeAssignees) if (!assigned.has(id)) throw notFound('Assignee on this task');
  // Removing whoever claimed the task releases the claim: only they (or an overrider) may.
  if (task.claimed_by_id !== null && edits.removeAssignees.includes(task.claimed_by_id)) claimOverride(access, task, 'release');
}
