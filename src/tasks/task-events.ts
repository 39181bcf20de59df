import type { Transaction } from 'kysely';
import type { WorkspaceAccess } from '../authz/authorize.js';
import type { Database } from '../db/schema.js';
import { recordEvent } from '../events/events.service.js';
import { loadTaskViews, type TaskView } from './task-views.js';

/** What a change to a task records: the event type and what the event adds to the task snapshot. */
export interface TaskChange {
  type: string;
  extra?: Record<string, unknown>;
}

export async function recordTaskEvent(
  trx: Transaction<Database>,
  access: WorkspaceAccess,
  view: TaskView,
  change: TaskChange,
): Promise<void> {
  await recordEvent(trx, {
    workspaceId: access.workspaceId,
    type: change.type,
    actor: access.actor,
    resourceType: 'task',
    resourceId: view.id,
    projectId: view.projectId,
    data: { ...view, ...change.extra },
  });
}

// Pages keep the `in (…)` lists of loadTaskViews far below either dialect's limit on bound parameters.
const DELETION_PAGE = 500;

/**
 * Before a project's deletion takes its tasks with it: one `task.deleted` per task, with its last
 * snapshot, as deleting each task would record, so webhooks and event readers learn of every one.
 */
export async function recordProjectTasksDeleted(trx: Transaction<Database>, access: WorkspaceAccess, projectId: string): Promise<void> {
  let afterId = '';
  for (;;) {
    const rows = await trx
      .selectFrom('tasks')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(DELETION_PAGE)
      .execute();
    for (const view of await loadTaskViews(trx, rows)) await recordTaskEvent(trx, access, view, { type: 'task.deleted' });
    const last = rows.at(-1);
    if (!last || rows.length < DELETION_PAGE) return;
    afterId = last.id;
  }
}
