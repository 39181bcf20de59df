import type { CompiledQuery, Transaction } from 'kysely';
import type { Db } from '../db/database.js';
import { cachedQuery, cachedRead, readsOf, type SharedRows } from '../db/read-cache.js';
import { hotPath } from '../lib/hot-path.js';
import type { Database } from '../db/schema.js';
import { notFound } from '../errors/app-error.js';
import type { DeepReadonly } from '../lib/deep-readonly.js';
import { actorFrom } from './access.js';
import type { TaskRow } from './tables.js';

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

interface TaskLabelView {
  id: string;
  name: string;
  color: string;
}

function toTaskView(row: DeepReadonly<TaskRow>, assignees: AssigneeView[], labels: TaskLabelView[]) {
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

/** A task view that may be shared by every reader while the task is unchanged (see `loadTaskView`). */
export type SharedTaskView = DeepReadonly<TaskView>;

// Assignees with their names, users and agents alike, in one query for a whole page.
function assigneeQuery(db: Queryable, taskIds: readonly string[]) {
  return db
    .selectFrom('task_assignees')
    .leftJoin('users', (join) => join.onRef('users.id', '=', 'task_assignees.assignee_id').on('task_assignees.assignee_type', '=', 'user'))
    .leftJoin('agents', (join) =>
      join.onRef('agents.id', '=', 'task_assignees.assignee_id').on('task_assignees.assignee_type', '=', 'agent'),
    )
    .select([
      'task_assignees.task_id',
      'task_assignees.assignee_type',
      'task_assignees.assignee_id',
      'users.name as user_name',
      'agents.name as agent_name',
    ])
    .where('task_assignees.task_id', 'in', taskIds)
    .orderBy('task_assignees.created_at')
    .orderBy('task_assignees.assignee_id');
}

type AssigneeRow = Awaited<ReturnType<ReturnType<typeof assigneeQuery>['execute']>>[number];
type LabelRow = Awaited<ReturnType<ReturnType<typeof labelQuery>['execute']>>[number];

function labelQuery(db: Queryable, taskIds: readonly string[]) {
  return db
    .selectFrom('task_labels')
    .innerJoin('labels', 'labels.id', 'task_labels.label_id')
    .select(['task_labels.task_id', 'labels.id', 'labels.name', 'labels.color'])
    .where('task_labels.task_id', 'in', taskIds)
    .orderBy('labels.name')
    .orderBy('labels.id');
}

// Reading one task is the commonest call of all: its two queries are cached point reads (ADR 0001).
const assigneesOfOne = cachedRead((db: Db, taskId: string) => assigneeQuery(db, [taskId]));
const labelsOfOne = cachedRead((db: Db, taskId: string) => labelQuery(db, [taskId]));

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

function assigneeView(row: {
  assignee_type: string;
  assignee_id: string;
  user_name: string | null;
  agent_name: string | null;
}): AssigneeView {
  const type: AssigneeType = row.assignee_type === 'agent' ? 'agent' : 'user';
  return { type, id: row.assignee_id, name: (type === 'agent' ? row.agent_name : row.user_name) ?? '' };
}

function labelView({ id, name, color }: TaskLabelView): TaskLabelView {
  return { id, name, color };
}

/** Task rows with their assignees and labels, in two queries for a whole page. */
export async function loadTaskViews(db: Queryable, rows: readonly DeepReadonly<TaskRow>[]): Promise<TaskView[]> {
  if (rows.length === 0) return [];
  if (rows.length === 1) return [await buildTaskView(db, rows[0]!)];
  const ids = rows.map((row) => row.id);
  const assignees = byTask(await assigneeRows(db, ids), assigneeView);
  const labels = byTask(await labelRows(db, ids), labelView);
  return rows.map((row) => toTaskView(row, assignees.get(row.id) ?? [], labels.get(row.id) ?? []));
}

/** A page of tasks as the list answers it, shared while the rows behind it are (see `loadTaskPage`). */
export type SharedTaskPage = DeepReadonly<{ items: TaskView[]; nextCursor: string | null }>;

/**
 * A page of task rows (`items`, the first of `rows`, which the list query read through the read cache) with
 * their assignees and labels, in two more reads through it. While the page's rows, assignee rows and
 * label rows are the same shared rows (the database unchanged, on either dialect), the page is built once
 * and shared, so its JSON is kept as well (tasks.routes.ts): a repeated poll of an unchanged page costs
 * no query and no serialising. `name` tells apart pages the same rows answer differently (the sort, in
 * the cursor).
 */
export async function loadTaskPage(
  db: Db,
  name: string,
  rows: SharedRows<TaskRow>,
  page: { items: readonly DeepReadonly<TaskRow>[]; nextCursor: string | null },
): Promise<SharedTaskPage> {
  const { items, nextCursor } = page;
  if (items.length === 0) return readsOf(db).keep(name, [rows], () => ({ items: [], nextCursor }));
  // The two link queries are built once for the page's shared rows (building one costs more than reading it).
  const links = readsOf(db).keep(`${name}: link queries`, [rows], () => {
    const ids = items.map((row) => row.id);
    return { assignees: assigneeQuery(db, ids).compile(), labels: labelQuery(db, ids).compile() };
  }) as unknown as { assignees: CompiledQuery<AssigneeRow>; labels: CompiledQuery<LabelRow> };
  const assignees = await cachedQuery(db, { compile: () => links.assignees });
  const labels = await cachedQuery(db, { compile: () => links.labels });
  return readsOf(db).keep(name, [rows, assignees, labels], () => {
    const assigneesOf = byTask(assignees, assigneeView);
    const labelsOf = byTask(labels, labelView);
    return { items: items.map((row) => toTaskView(row, assigneesOf.get(row.id) ?? [], labelsOf.get(row.id) ?? [])), nextCursor };
  });
}

/** One task's assignee and label rows: cached point reads. */
async function linksOf(db: Queryable, row: DeepReadonly<TaskRow>) {
  return { assignees: await assigneeRows(db, [row.id]), labels: await labelRows(db, [row.id]) };
}

function viewOf(row: DeepReadonly<TaskRow>, { assignees, labels }: Awaited<ReturnType<typeof linksOf>>): TaskView {
  return toTaskView(row, assignees.map(assigneeView), labels.map(labelView));
}

/**
 * One task row with its assignees and labels, for a read. While the task and its assignee and label
 * rows are the same shared rows (SQLite, nothing changed), the view is built once for them and shared
 * too, so its JSON can be kept as well (http/serializer.ts); rows read afresh get a view of their own.
 */
export async function loadTaskView(db: Queryable, row: DeepReadonly<TaskRow>): Promise<SharedTaskView> {
  const links = await linksOf(db, row);
  if (!hotPath.keptTaskView) return viewOf(row, links);
  return readsOf(db).keep('task view', [row, links.assignees, links.labels], () => viewOf(row, links));
}

/** One task row with its assignees and labels, as a view of its own (a change's answer, a one-task page). */
async function buildTaskView(db: Queryable, row: DeepReadonly<TaskRow>): Promise<TaskView> {
  return viewOf(row, await linksOf(db, row));
}

// Every task route starts here: a cached point read (inside a transaction it asks the database).
const taskById = cachedRead((db: Db, id: string) => db.selectFrom('tasks').selectAll().where('id', '=', id));

/** The task, or undefined when there is none. */
export async function taskIfAny(db: Queryable, id: string): Promise<DeepReadonly<TaskRow> | undefined> {
  const [row] = await taskById(db, id);
  return row;
}

export async function findTask(db: Queryable, id: string): Promise<DeepReadonly<TaskRow>> {
  const row = await taskIfAny(db, id);
  if (!row) throw notFound('Task');
  return row;
}

export async function getTaskView(db: Queryable, id: string): Promise<TaskView> {
  return buildTaskView(db, await findTask(db, id));
}
