import type { Transaction } from 'kysely';
import type { WorkspaceAccess } from '../authz/authorize.js';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../errors/app-error.js';
import { invalidField } from '../errors/validation.js';
import { recordEvent } from '../events/events.service.js';
import { nowIso } from '../lib/time.js';

type Queryable = Db | Transaction<Database>;

export interface TaskStatus {
  key: string;
  name: string;
}

/** Claiming moves a task here and completing moves it to DONE_STATUS: every list must keep both. */
export const CLAIMED_STATUS = 'in_progress';
export const DONE_STATUS = 'done';

/** What a workspace uses until it sets its own list. */
const DEFAULT_STATUSES: readonly TaskStatus[] = [
  { key: 'todo', name: 'To do' },
  { key: CLAIMED_STATUS, name: 'In progress' },
  { key: 'blocked', name: 'Blocked' },
  { key: DONE_STATUS, name: 'Done' },
];

/** The workspace's statuses in order; the first is where new tasks start. */
export async function listStatuses(db: Queryable, workspaceId: string): Promise<TaskStatus[]> {
  const rows = await db
    .selectFrom('task_statuses')
    .select(['key', 'name'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('position')
    .execute();
  return rows.length > 0 ? rows : [...DEFAULT_STATUSES];
}

export async function initialStatus(db: Queryable, workspaceId: string): Promise<string> {
  const [first] = await listStatuses(db, workspaceId);
  return first?.key ?? DEFAULT_STATUSES[0]!.key;
}

export async function requireKnownStatus(db: Queryable, workspaceId: string, status: string): Promise<void> {
  const keys = (await listStatuses(db, workspaceId)).map((s) => s.key);
  if (!keys.includes(status)) {
    throw invalidField('status', `must be one of this workspace's statuses: ${keys.join(', ')}`);
  }
}

/**
 * Whether work has not started in this status: those listed before in_progress (todo, backlog…). A task
 * moved back to one is free to claim again; the statuses after it (blocked, review, done) keep the claimant.
 */
export async function isNotStarted(db: Queryable, workspaceId: string, status: string): Promise<boolean> {
  const keys = (await listStatuses(db, workspaceId)).map((s) => s.key);
  return keys.indexOf(status) < keys.indexOf(CLAIMED_STATUS);
}

function checkList(statuses: readonly TaskStatus[]): void {
  const keys = statuses.map((s) => s.key);
  if (new Set(keys).size !== keys.length) throw invalidField('statuses', 'must have unique keys');
  for (const required of [CLAIMED_STATUS, DONE_STATUS]) {
    if (!keys.includes(required)) throw invalidField('statuses', `must keep "${required}": claiming and completing tasks move them there`);
  }
}

/** Replaces the workspace's list; refused while a task still has a status the new list drops. */
export async function replaceStatuses(db: Db, access: WorkspaceAccess, statuses: readonly TaskStatus[]): Promise<TaskStatus[]> {
  checkList(statuses);
  const keys = statuses.map((s) => s.key);
  return db.transaction().execute(async (trx) => {
    const inUse = await trx
      .selectFrom('tasks')
      .select('status')
      .distinct()
      .where('workspace_id', '=', access.workspaceId)
      .where('status', 'not in', keys)
      .execute();
    if (inUse.length > 0) {
      const dropped = inUse.map((row) => row.status).sort();
      throw new AppError('CONFLICT', `Tasks still use ${dropped.join(', ')}: move them to another status first`, {
        statusesInUse: dropped,
      });
    }
    const now = nowIso();
    await trx.deleteFrom('task_statuses').where('workspace_id', '=', access.workspaceId).execute();
    await trx
      .insertInto('task_statuses')
      .values(
        statuses.map((s, position) => ({ workspace_id: access.workspaceId, key: s.key, name: s.name.trim(), position, created_at: now })),
      )
      .execute();
    const list = await listStatuses(trx, access.workspaceId);
    await recordEvent(trx, {
      workspaceId: access.workspaceId,
      type: 'workspace.updated',
      actor: access.actor,
      resourceType: 'workspace',
      resourceId: access.workspaceId,
      data: { id: access.workspaceId, taskStatuses: list },
    });
    return list;
  });
}
