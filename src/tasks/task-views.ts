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

// Assignees with their names, users and agents alike, in one query for a whole page.
function assigneeQuery(db: Queryable, taskIds: readonly string[]) {
  return db
    .selectFrom('task_assignees')
    .leftJoin('users', (join) => join.onRef('users.id', '=', 'task_assignees.assignee_id').on('task_assignees.assignee_type', '=', 'user'))
    .leftJoin('agents', (join) => join.onRef('agents.id', '=', 'task_assignees.assignee_id').on('task_assignees.assignee_type', '=', 'agent'))
    .select(['task_assignees.task_id', 'task_assignees.assignee_type', 'task_assignees.assignee_id', 'users.name as user_name', 'agents.name as agent_name'])
    .where('task_assignees.task_id', 'in', taskIds)
    .orderBy('task_assignees.created_at')
    .orderBy('task_assignees.assignee_id');
}

function labelQuery(db: Queryable, taskIds: readonly string[]) {
  return db
    .selectFrom('task_labels')
    .innerJoin('labels', 'labels.id', 'task_labels.label_id')
    .select(['task_labels.task_id', 'labels.id', 'labels.name', 'labels.color'])
    .where('task_labels.task_id', 'in', taskIds)
    .orderBy('labels.name')
    .orderBy('labels.id');
}

// Reading one task is the commonest call of all: its two queries are compiled once (db/prepared.ts).
const assigneesOfOne = prepared((db: Db, taskId: string) => assigneeQuery(db, [taskId]));
const labelsOfOne = prepared((db: Db, taskId: string) => labelQuery(db, [taskId]));

function assigneeRows(db: Queryable, taskIds: readonly string[]) {
  return taskIds.length === 1 ? assigneesOfOne(db, taskIds[0]!) : assigneeQuery(db, taskIds).execute();
}

function labelRows(db: Queryable, taskIds: readonly string[]) {
  return taskIds.length === 1 ? labelsOfOne(db, taskIds[0]!) : labelQuery(db, taskIds).execute();
}

/** Groups rows by task, keeping their order. */
function byTask<Row extends { task_id: string }, View>(rows: readonly Row[], view: (row: Row) => View): Map<string, View[]> {
  const grouped = new Map<string, View[]>();
  for (const row of rows) {
    const list = grouped.get(row.task_id);
    if (list) list.push(view(row));
    else grouped.set(row.task_id, [view(row)]);
  }
  return grouped;
}

function assigneeView(row: { assignee_type: string; assignee_id: string; user_name: string | null; agent_name: string | null }): AssigneeView {
  const type: AssigneeType = row.assignee_type === 'agent' ? 'agent' : 'user';
  return { type, id: row.assignee_id, name: (type === 'agent' ? row.agent_name : row.user_name) ?? '' };
}

/** Task rows with their assignees and labels, in two queries for a whole page. */
export async function loadTaskViews(db: Queryable, rows: readonly TaskRow[]): Promise<TaskView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const assignees = byTask(await assigneeRows(db, ids), assigneeView);
  const labels = byTask(await labelRows(db, ids), ({ id, name, color }): TaskLabelView => ({ id, name, color }));
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
