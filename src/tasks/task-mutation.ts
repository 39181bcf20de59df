import type { Transaction } from 'kysely';
import type { WorkspaceAccess } from '../authz/authorize.js';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../errors/app-error.js';
import { nowIso } from '../lib/time.js';
import { requireActiveProject } from '../projects/projects.service.js';
import type { TaskRow } from './tables.js';
import { recordTaskEvent, type TaskChange } from './task-events.js';
import { findTask, getTaskView, type TaskView } from './task-views.js';

/** Thrown inside the transaction to roll back the version bump when a request changes nothing. */
class Unchanged extends Error {}

export function updatedBy(access: WorkspaceAccess, now = nowIso()) {
  return { updated_by_type: access.actor.type, updated_by_id: access.actor.id, updated_at: now };
}

/** The columns of a task nobody has claimed: set when a claim is released. */
export const NO_CLAIM = { claimed_by_type: null, claimed_by_id: null, claimed_at: null } as const;

/**
 * Bumps the version first: on PostgreSQL that UPDATE takes the row lock, so concurrent changes to one
 * task queue up and each then reads the row as the previous one left it. With `expectedVersion`
 * (If-Match) the bump itself is the guard, so a stale version can never slip through between check and write.
 */
async function lockTask(
  trx: Transaction<Database>,
  access: WorkspaceAccess,
  taskId: string,
  expectedVersion: number | undefined,
): Promise<TaskRow> {
  let bump = trx
    .updateTable('tasks')
    .set((eb) => ({ version: eb('version', '+', 1), ...updatedBy(access) }))
    .where('id', '=', taskId)
    .where('workspace_id', '=', access.workspaceId);
  if (expectedVersion !== undefined) bump = bump.where('version', '=', expectedVersion);
  const { numUpdatedRows } = await bump.executeTakeFirst();
  if (numUpdatedRows === 0n) {
    const current = await findTask(trx, taskId);
    throw new AppError('PRECONDITION_FAILED', `The task changed since version ${expectedVersion}: fetch it again and retry`, {
      currentVersion: current.version,
    });
  }
  return findTask(trx, taskId);
}

/**
 * The one way a task changes: lock and bump it, refuse archived projects, apply the change, record
 * the event with the new snapshot, all in one transaction. `apply` returns null when nothing changes
 * (assigning someone already assigned): the bump is rolled back and no event is recorded.
 */
export async function mutateTask(
  db: Db,
  access: WorkspaceAccess,
  taskId: string,
  apply: (trx: Transaction<Database>, task: TaskRow) => Promise<TaskChange | null>,
  expectedVersion?: number,
): Promise<TaskView> {
  try {
    return await db.transaction().execute(async (trx) => {
      const task = await lockTask(trx, access, taskId, expectedVersion);
      await requireActiveProject(trx, task.project_id);
      const change = await apply(trx, task);
      if (!change) throw new Unchanged();
      const view = await getTaskView(trx, taskId);
      await recordTaskEvent(trx, access, view, change);
      return view;
    });
  } catch (err) {
    if (err instanceof Unchanged) return getTaskView(db, taskId);
    throw err;
  }
}
