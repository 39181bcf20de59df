import type { Transaction } from 'kysely';
import { requireProjectInScope, type WorkspaceAccess } from '../authz/authorize.js';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { requireDeleted } from '../db/deletion.js';
import { notFound } from '../errors/app-error.js';
import { newId } from '../lib/ids.js';
import { nowIso } from '../lib/time.js';
import { requireActiveProject } from '../projects/projects.service.js';
import { createdBy } from './access.js';
import { claimOverride } from './claim-guard.js';
import { toInstant } from './instants.js';
import { DONE_STATUS, initialStatus, isNotStarted, requireKnownStatus } from './statuses.service.js';
import type { TaskRow } from './tables.js';
import { recordTaskEvent, type TaskChange } from './task-events.js';
import { mutateTask, NO_CLAIM, updatedBy } from './task-mutation.js';
import { getTaskView, priorityRank, type Priority, type TaskView } from './task-views.js';

export interface NewTask {
  projectId: string;
  title: string;
  description?: string;
  status?: string;
  priority?: Priority;
  dueAt?: string | null;
  position?: number;
}

const normaliseDue = (dueAt: string | null | undefined) => (dueAt ? toInstant(dueAt, 'dueAt') : null);

// New tasks go to the end of their project unless a position is given.
async function nextPosition(trx: Transaction<Database>, projectId: string): Promise<number> {
  const { top } = await trx
    .selectFrom('tasks')
    .select((eb) => eb.fn.max('position').as('top'))
    .where('project_id', '=', projectId)
    .executeTakeFirstOrThrow();
  return top === null ? 1 : Math.floor(Number(top)) + 1;
}

/** A project of this workspace that takes task changes (not archived). */
async function requireUsableProject(trx: Transaction<Database>, access: WorkspaceAccess, projectId: string): Promise<void> {
  const project = await requireActiveProject(trx, projectId);
  if (project.workspace_id !== access.workspaceId) throw notFound('Project');
  requireProjectInScope(access, projectId);
}

export async function createTask(db: Db, access: WorkspaceAccess, input: NewTask): Promise<TaskView> {
  return db.transaction().execute(async (trx) => {
    await requireUsableProject(trx, access, input.projectId);
    if (input.status !== undefined) await requireKnownStatus(trx, access.workspaceId, input.status);
    const status = input.status ?? (await initialStatus(trx, access.workspaceId));
    const now = nowIso();
    const row: TaskRow = {
      id: newId('task'),
      workspace_id: access.workspaceId,
      project_id: input.projectId,
      title: input.title.trim(),
      description: input.description ?? '',
      status,
      priority: priorityRank(input.priority ?? 'none'),
      due_at: normaliseDue(input.dueAt),
      position: input.position ?? (await nextPosition(trx, input.projectId)),
      version: 1,
      claimed_by_type: null,
      claimed_by_id: null,
      claimed_at: null,
      completed_at: status === DONE_STATUS ? now : null,
      result_note: null,
      ...createdBy(access.actor),
      ...updatedBy(access, now),
      created_at: now,
    };
    await trx.insertInto('tasks').values(row).execute();
    const view = await getTaskView(trx, row.id);
    await recordTaskEvent(trx, access, view, { type: 'task.created' });
    return view;
  });
}

export type TaskChanges = Partial<Omit<NewTask, 'projectId'>> & { projectId?: string };

/**
 * PATCH: edits, moves between statuses or projects; moving into `done` records task.completed. Moving
 * back to a not-started status releases the claim, or nobody else could ever claim the task again.
 */
export async function updateTask(
  db: Db,
  access: WorkspaceAccess,
  taskId: string,
  changes: TaskChanges,
  expectedVersion?: number,
): Promise<TaskView> {
  return mutateTask(
    db,
    access,
    taskId,
    async (trx, task): Promise<TaskChange> => {
      if (changes.status !== undefined) await requireKnownStatus(trx, access.workspaceId, changes.status);
      if (changes.projectId !== undefined && changes.projectId !== task.project_id)
        await requireUsableProject(trx, access, changes.projectId);
      const newStatus = changes.status !== undefined && changes.status !== task.status ? changes.status : null;
      const completing = newStatus === DONE_STATUS;
      const releasing = newStatus !== null && task.claimed_by_id !== null && (await isNotStarted(trx, access.workspaceId, newStatus));
      const override = completing || releasing ? claimOverride(access, task, completing ? 'complete' : 'release') : null;
      await trx
        .updateTable('tasks')
        .set({
          title: changes.title?.trim(),
          description: changes.description,
          status: changes.status,
          priority: changes.priority === undefined ? undefined : priorityRank(changes.priority),
          due_at: changes.dueAt === undefined ? undefined : normaliseDue(changes.dueAt),
          position: changes.position,
          project_id: changes.projectId,
          ...(newStatus !== null ? { completed_at: completing ? nowIso() : null } : {}),
          ...(releasing ? NO_CLAIM : {}),
        })
        .where('id', '=', task.id)
        .execute();
      return { type: completing ? 'task.completed' : 'task.updated', extra: { changedFields: Object.keys(changes).sort(), ...override } };
    },
    expectedVersion,
  );
}

export async function deleteTask(db: Db, access: WorkspaceAccess, taskId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const view = await getTaskView(trx, taskId);
    await requireActiveProject(trx, view.projectId);
    requireDeleted(
      await trx.deleteFrom('tasks').where('id', '=', taskId).where('workspace_id', '=', access.workspaceId).executeTakeFirst(),
      'Task',
    );
    await recordTaskEvent(trx, access, view, { type: 'task.deleted' });
  });
}
