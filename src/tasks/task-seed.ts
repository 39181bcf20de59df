import type { Actor } from '../authz/principal.js';
import type { Db } from '../db/database.js';
import { newId } from '../lib/ids.js';
import { nowIso } from '../lib/time.js';
import { createdBy } from './access.js';
import type { TaskRow } from './tables.js';
import { priorityRank, type Priority } from './task-views.js';

/** What bulk loaders (bench, demo, pagination tests) say about a task; the rest is filled in. */
export interface SeedTask {
  title: string;
  description?: string;
  status?: string;
  priority?: Priority;
  dueAt?: string | null;
  position: number;
  createdAt?: string;
}

/** A complete task row for direct insertion, bypassing the per-task checks and events of the API. */
export function seedTaskRow(project: { id: string; workspace_id: string }, actor: Actor, task: SeedTask): TaskRow {
  const createdAt = task.createdAt ?? nowIso();
  return {
    id: newId('task'),
    workspace_id: project.workspace_id,
    project_id: project.id,
    title: task.title,
    description: task.description ?? '',
    status: task.status ?? 'todo',
    priority: priorityRank(task.priority ?? 'none'),
    due_at: task.dueAt ?? null,
    position: task.position,
    version: 1,
    claimed_by_type: null,
    claimed_by_id: null,
    claimed_at: null,
    completed_at: task.status === 'done' ? createdAt : null,
    result_note: null,
    ...createdBy(actor),
    updated_by_type: actor.type,
    updated_by_id: actor.id,
    created_at: createdAt,
    updated_at: createdAt,
  };
}

// 22 columns × 1,000 rows stays under both SQLite's and PostgreSQL's bound-parameter limits.
const BATCH = 1_000;

/** Inserts task rows in one transaction, a thousand per statement. */
export async function insertTaskRows(db: Db, rows: readonly TaskRow[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += BATCH)
      await trx
        .insertInto('tasks')
        .values(rows.slice(i, i + BATCH))
        .execute();
  });
}
