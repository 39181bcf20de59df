import type { Transaction } from 'kysely';
import type { WorkspaceAccess } from '../authz/authorize.js';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { AppError, notFound } from '../errors/app-error.js';
import { nowIso } from '../lib/time.js';
import { claimOverride } from './claim-guard.js';
import { DONE_STATUS } from './statuses.service.js';
import { recordTaskEvent } from './task-events.js';
import { mutateTask, NO_CLAIM, updatedBy } from './task-mutation.js';
import { getTaskView, type AssigneeType, type AssigneeView, type TaskView } from './task-views.js';

type Trx = Transaction<Database>;

async function memberName(trx: Trx, workspaceId: string, userId: string): Promise<string> {
  const member = await trx
    .selectFrom('workspace_members')
    .innerJoin('users', 'users.id', 'workspace_members.user_id')
    .select('users.name')
    .where('workspace_members.workspace_id', '=', workspaceId)
    .where('workspace_members.user_id', '=', userId)
    .executeTakeFirst();
  if (!member) throw new AppError('ASSIGNEE_NOT_MEMBER', 'Only members of this workspace can be assigned', { userId });
  return member.name;
}

async function agentName(trx: Trx, workspaceId: string, agentId: string): Promise<string> {
  const agent = await trx
    .selectFrom('agents')
    .select('name')
    .where('id', '=', agentId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  if (!agent) throw new AppError('ASSIGNEE_NOT_MEMBER', 'Only agents of this workspace can be assigned', { agentId });
  return agent.name;
}

/** Who to assign, as the route's body names them. */
export type AssigneeRef = { userId: string } | { agentId: string };

/** Adds an assignee row unless there is one; false when the assignee was already there. */
export async function addAssignee(trx: Trx, taskId: string, type: AssigneeType, id: string): Promise<boolean> {
  const existing = await trx
    .selectFrom('task_assignees')
    .select('task_id')
    .where('task_id', '=', taskId)
    .where('assignee_type', '=', type)
    .where('assignee_id', '=', id)
    .executeTakeFirst();
  if (existing) return false;
  await trx.insertInto('task_assignees').values({ task_id: taskId, assignee_type: type, assignee_id: id, created_at: nowIso() }).execute();
  return true;
}

/** Assigns a workspace member or agent; assigning someone already assigned changes nothing. */
export async function assign(db: Db, access: WorkspaceAccess, taskId: string, ref: AssigneeRef): Promise<TaskView> {
  return mutateTask(db, access, taskId, async (trx, task) => {
    const assignee: AssigneeView =
      'userId' in ref
        ? { type: 'user', id: ref.userId, name: await memberName(trx, access.workspaceId, ref.userId) }
        : { type: 'agent', id: ref.agentId, name: await agentName(trx, access.workspaceId, ref.agentId) };
    if (!(await addAssignee(trx, task.id, assignee.type, assignee.id))) return null;
    return { type: 'task.assigned', extra: { assignee } };
  });
}

/** Removes a user or agent; removing whoever claimed the task also releases the claim. */
export async function unassign(db: Db, access: WorkspaceAccess, taskId: string, assigneeId: string): Promise<TaskView> {
  return mutateTask(db, access, taskId, async (trx, task) => {
    const row = await trx
      .selectFrom('task_assignees')
      .select('assignee_type')
      .where('task_id', '=', task.id)
      .where('assignee_id', '=', assigneeId)
      .executeTakeFirst();
    if (!row) throw notFound('Assignee on this task');
    const releasing = task.claimed_by_id === assigneeId;
    const override = releasing ? claimOverride(access, task, 'release') : null;
    await trx.deleteFrom('task_assignees').where('task_id', '=', task.id).where('assignee_id', '=', assigneeId).execute();
    if (releasing) await trx.updateTable('tasks').set(NO_CLAIM).where('id', '=', task.id).execute();
    return { type: 'task.unassigned', extra: { assignee: { type: row.assignee_type, id: assigneeId }, ...override } };
  });
}

export async function addLabel(db: Db, access: WorkspaceAccess, taskId: string, labelId: string): Promise<TaskView> {
  return mutateTask(db, access, taskId, async (trx, task) => {
    const label = await trx
      .selectFrom('labels')
      .select(['id', 'name', 'color'])
      .where('id', '=', labelId)
      .where('workspace_id', '=', access.workspaceId)
      .executeTakeFirst();
    if (!label) throw notFound('Label');
    const existing = await trx
      .selectFrom('task_labels')
      .select('task_id')
      .where('task_id', '=', task.id)
      .where('label_id', '=', labelId)
      .executeTakeFirst();
    if (existing) return null;
    await trx.insertInto('task_labels').values({ task_id: task.id, label_id: labelId, created_at: nowIso() }).execute();
    return { type: 'task.labeled', extra: { label } };
  });
}

export async function removeLabel(db: Db, access: WorkspaceAccess, taskId: string, labelId: string): Promise<TaskView> {
  return mutateTask(db, access, taskId, async (trx, task) => {
    const { numDeletedRows } = await trx
      .deleteFrom('task_labels')
      .where('task_id', '=', task.id)
      .where('label_id', '=', labelId)
      .executeTakeFirst();
    if (numDeletedRows === 0n) throw notFound('Label on this task');
    return { type: 'task.unlabeled', extra: { label: { id: labelId } } };
  });
}

/** Moves the task to done with an optional note of what was done. */
export async function completeTask(db: Db, access: WorkspaceAccess, taskId: string, resultNote: string | undefined): Promise<TaskView> {
  return mutateTask(db, access, taskId, async (trx, task) => {
    if (task.status === DONE_STATUS) throw new AppError('CONFLICT', 'This task is already done', { status: task.status });
    const override = claimOverride(access, task, 'complete');
    await trx
      .updateTable('tasks')
      .set({ status: DONE_STATUS, completed_at: nowIso(), result_note: resultNote ?? null })
      .where('id', '=', task.id)
      .execute();
    return { type: 'task.completed', extra: { ...override } };
  });
}

/**
 * A deleted agent leaves no work behind: it is unassigned everywhere and its claims are released, each
 * task bumped and recorded as `task.unassigned`, inside the caller's transaction (the agent's deletion).
 */
export async function releaseAgentAssignments(trx: Trx, access: WorkspaceAccess, agentId: string): Promise<void> {
  const rows = await trx
    .selectFrom('task_assignees')
    .select('task_id')
    .where('assignee_type', '=', 'agent')
    .where('assignee_id', '=', agentId)
    .execute();
  const claimed = await trx
    .selectFrom('tasks')
    .select('id')
    .where('claimed_by_type', '=', 'agent')
    .where('claimed_by_id', '=', agentId)
    .execute();
  const taskIds = [...new Set([...rows.map((r) => r.task_id), ...claimed.map((t) => t.id)])];
  if (taskIds.length === 0) return;
  await trx.deleteFrom('task_assignees').where('assignee_type', '=', 'agent').where('assignee_id', '=', agentId).execute();
  await trx.updateTable('tasks').set(NO_CLAIM).where('claimed_by_type', '=', 'agent').where('claimed_by_id', '=', agentId).execute();
  await trx
    .updateTable('tasks')
    .set((eb) => ({ version: eb('version', '+', 1), ...updatedBy(access) }))
    .where('id', 'in', taskIds)
    .execute();
  for (const taskId of taskIds) {
    await recordTaskEvent(trx, access, await getTaskView(trx, taskId), {
      type: 'task.unassigned',
      extra: { assignee: { type: 'agent', id: agentId } },
    });
  }
}
