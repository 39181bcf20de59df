import type { Transaction } from 'kysely';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { notFound } from '../errors/app-error.js';
import { actorFrom } from './access.js';
import type { TaskRow } from './tables.js';
import { prepared } from '../db/prepared.js';

type Queryable = Db | Transaction<Database>;

/** Stored as 0…4 so that sorting by priority is sorting by urgency. */
export const PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export function priorityRank(priority: Priority): number {
  return PRIORITIES.indexOf(priority);
}

export type AssigneeType = 'user' | 'agent';

/** Users and agents are assigned alike; a response names them the same way. */
export interface AssigneeView {
  type: AssigneeType;
  id: string;
  name: string;
}

export interface TaskLabelView {
  id: string;
  name: string;
  color: string;
}

export function toTaskView(row: TaskRow, assignees: AssigneeView[], labels: TaskLabelView[]) {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    projectId: row.project_id,
    title: row.title,
    description: row.description,
    status: row.status,
    priority: PRIORITIES[row.priority] ?? 'none',
    dueAt: row.due_at,
    position: row.position,
    version: row.version,
    assignees,
    labels,
    claimedBy: row.claimed_by_type && row.claimed_by_id ? actorFrom(row.claimed_by_type, row.claimed_by_id) : null,
    claimedAt: row.claimed_at,
    completedAt: row.completed_at,
    resultNote: row.result_note,
    createdBy: actorFrom(row.created_by_type, row.created_by_id),
    updatedBy: actorFrom(row.updated_by_type, row.updated_by_id),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export type TaskView = ReturnType<typeof toTaskView>;

// One query per assignee type, however many tasks a page holds.
async function assigneeNames(db: Queryable, type: AssigneeType, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = type === 'user'
    ? await db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute()
    : await db.selectFrom('agents').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

async function assigneesByTask(db: Queryable, taskIds: string[]): Promise<Map<string, AssigneeView[]>> {
  const rows = await db
    .selectFrom('task_assignees')
    .select(['task_id', 'assignee_type', 'assignee_id'])
    .where('task_id', 'in', taskIds)
    .orderBy('created_at')
    .orderBy('assignee_id')
    .execute();
  const idsOf = (type: AssigneeType) => [...new Set(rows.filter((r) => r.assignee_type === type).map((r) => r.assignee_id))];
  const names = { user: await assigneeNames(db, 'user', idsOf('user')), agent: await assigneeNames(db, 'agent', idsOf('agent')) };
  const byTask = new Map<string, AssigneeView[]>();
  for (const row of rows) {
    const type: AssigneeType = row.assignee_type === 'agent' ? 'agent' : 'user';
    const list = byTask.get(row.task_id) ?? [];
    list.push({ type, id: row.assignee_id, name: names[type].get(row.assignee_id) ?? '' });
    byTask.set(row.task_id, list);
  }
  return byTask;
}

async function labelsByTask(db: Queryable, taskIds: string[]): Promise<Map<string, TaskLabelView[]>> {
  const rows = await db
    .selectFrom('task_labels')
    .innerJoin('labels', 'labels.id', 'task_labels.label_id')
    .select(['task_labels.task_id', 'labels.id', 'labels.name', 'labels.color'])
    .where('task_labels.task_id', 'in', taskIds)
    .orderBy('labels.name')
    .orderBy('labels.id')
    .execute();
  const byTask = new Map<string, TaskLabelView[]>();
  for (const { task_id, ...label } of rows) byTask.set(task_id, [...(byTask.get(task_id) ?? []), label]);
  return byTask;
}

/** Task rows with their assignees and labels, in three queries for a whole page. */
export async function loadTaskViews(db: Queryable, rows: TaskRow[]): Promise<TaskView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [assignees, labels] = [await assigneesByTask(db, ids), await labelsByTask(db, ids)];
  return rows.map((row) => toTaskView(row, assignees.get(row.id) ?? [], labels.get(row.id) ?? []));
}

// Every task route starts here, so the query is compiled once (a transaction is a Kysely too).
const taskById = prepared((db: Db, id: string) => db.selectFrom('tasks').selectAll().where('id', '=', id));

export async function findTask(db: Queryable, id: string): Promise<TaskRow> {
  const [row] = await taskById(db, id);
  if (!row) throw notFound('Task');
  return row;
}

export async function getTaskView(db: Queryable, id: string): Promise<TaskView> {
  const [view] = await loadTaskViews(db, [await findTask(db, id)]);
  if (!view) throw notFound('Task');
  return view;
}
