import type { SelectQueryBuilder } from 'kysely';
import type { WorkspaceAccess } from '../authz/authorize.js';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { containsText } from '../db/text-search.js';
import { toInstant } from './instants.js';
import { fetchKeysetPage, type KeysetSort } from '../http/pagination.js';
import type { TaskRow } from './tables.js';
import { loadTaskPage, priorityRank, type Priority, type SharedTaskPage } from './task-views.js';
import { cachedQuery, type SharedRows } from '../db/read-cache.js';

type SortField = 'position' | 'created_at' | 'updated_at' | 'due_at' | 'priority';

const SORT_FIELDS = {
  position: 'position',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  dueAt: 'due_at',
  priority: 'priority',
} as const satisfies Record<string, SortField>;
const FIELD_KINDS: Record<SortField, KeysetSort['kind']> = {
  position: 'number',
  created_at: 'timestamp',
  updated_at: 'timestamp',
  due_at: 'timestamp',
  priority: 'integer',
};

/** `position`, `-priority`…: each field ascending, or descending with a leading minus. */
export const TASK_SORT_KEYS = Object.keys(SORT_FIELDS).flatMap((name) => [name, `-${name}`]);

function sortFor(key: string): KeysetSort & { field: SortField } {
  const descending = key.startsWith('-');
  const name = (descending ? key.slice(1) : key) as keyof typeof SORT_FIELDS;
  const field = SORT_FIELDS[name] ?? 'position';
  return {
    key,
    field,
    column: `tasks.${field}`,
    idColumn: 'tasks.id',
    direction: descending ? 'desc' : 'asc',
    kind: FIELD_KINDS[field],
    nullable: field === 'due_at',
  };
}

export interface TaskListOptions {
  projectId?: string;
  status?: string;
  assignee?: string;
  label?: string;
  priority?: Priority;
  q?: string;
  dueBefore?: string;
  dueAfter?: string;
  sort?: string;
  cursor?: string;
  limit?: number;
}

type TaskQuery = SelectQueryBuilder<Database, 'tasks', TaskRow>;

function applyFilters(query: TaskQuery, access: WorkspaceAccess, opts: TaskListOptions): TaskQuery {
  if (opts.projectId) query = query.where('tasks.project_id', '=', opts.projectId);
  else if (access.projectIds) query = query.where('tasks.project_id', 'in', [...access.projectIds, '']);
  if (opts.status) query = query.where('tasks.status', 'in', opts.status.split(','));
  if (opts.priority) query = query.where('tasks.priority', '=', priorityRank(opts.priority));
  if (opts.dueBefore) query = query.where('tasks.due_at', '<', toInstant(opts.dueBefore, 'dueBefore'));
  if (opts.dueAfter) query = query.where('tasks.due_at', '>', toInstant(opts.dueAfter, 'dueAfter'));
  if (opts.assignee) {
    const assigneeId = opts.assignee === 'me' ? access.actor.id : opts.assignee;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('task_assignees')
          .select('task_assignees.task_id')
          .whereRef('task_assignees.task_id', '=', 'tasks.id')
          .where('task_assignees.assignee_id', '=', assigneeId),
      ),
    );
  }
  if (opts.label) {
    const labelId = opts.label;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('task_labels')
          .select('task_labels.task_id')
          .whereRef('task_labels.task_id', '=', 'tasks.id')
          .where('task_labels.label_id', '=', labelId),
      ),
    );
  }
  if (opts.q) {
    const q = opts.q;
    query = query.where(({ or }) => or([containsText('tasks.title', q), containsText('tasks.description', q)]));
  }
  return query;
}

/**
 * One page of a project's (or, without `projectId`, the workspace's) tasks, filtered and sorted, with
 * a keyset cursor. The caller has authorised `access` for the project when one is given. The page is
 * read through the read cache, keyed by its query (filters, cursor and limit are in its SQL and
 * parameters): polling an unchanged page is answered from memory on both dialects (ADR 0001, 0008).
 */
export async function listTasks(db: Db, access: WorkspaceAccess, opts: TaskListOptions): Promise<SharedTaskPage> {
  const limit = opts.limit ?? 50;
  const sort = sortFor(opts.sort ?? 'position');
  // A project's list names its project alone: the caller authorised it in `access.workspaceId`, and a task
  // never leaves its project's workspace. Said twice, PostgreSQL may walk the workspace's position index
  // and filter the project out of it; said once, both dialects read the project's index, flat with size.
  const tasks = db.selectFrom('tasks').selectAll('tasks');
  const query = applyFilters(opts.projectId ? tasks : tasks.where('tasks.workspace_id', '=', access.workspaceId), access, opts);
  let rows: SharedRows<TaskRow> = [];
  const read = async (final: typeof query): Promise<TaskRow[]> => {
    rows = await cachedQuery(db, final);
    return rows.slice();
  };
  const page = await fetchKeysetPage(query, sort, { limit, cursor: opts.cursor }, (row: TaskRow) => row[sort.field], read);
  return loadTaskPage(db, `task page by ${sort.key}`, rows, page);
}
