import type { AssigneeRef, NewTask, Task, TaskChanges, TaskStatus } from '@taskgate/client';
import type { Priority } from './search';

/** What the task form edits. Assignees are `user:<id>` or `agent:<id>`. */
export interface TaskValues {
  title: string;
  description: string;
  status: string;
  priority: Priority;
  /** YYYY-MM-DD, or empty. */
  due: string;
  assignees: string[];
  labels: string[];
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The local calendar day of an instant. */
function dayOf(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A due day as an instant: the end of that local day. */
const dueAtOf = (day: string): string | null => (day ? new Date(`${day}T23:59:00`).toISOString() : null);

const assigneeKey = (a: { type: 'user' | 'agent'; id: string }) => `${a.type}:${a.id}`;

function assigneeRef(key: string): AssigneeRef {
  const [type, id] = key.split(':') as ['user' | 'agent', string];
  return type === 'agent' ? { agentId: id } : { userId: id };
}

export function valuesOf(task: Task): TaskValues {
  return {
    title: task.title,
    description: task.description,
    status: task.status,
    priority: task.priority,
    due: task.dueAt ? dayOf(task.dueAt) : '',
    assignees: task.assignees.map(assigneeKey),
    labels: task.labels.map((l) => l.id),
  };
}

export function emptyValues(statuses: TaskStatus[], status?: string): TaskValues {
  return { title: '', description: '', status: status ?? statuses[0]?.key ?? 'todo', priority: 'none', due: '', assignees: [], labels: [] };
}

export function newTaskBody(projectId: string, v: TaskValues): NewTask {
  return { projectId, title: v.title.trim(), description: v.description, status: v.status, priority: v.priority, dueAt: dueAtOf(v.due) };
}

/** The fields that differ from `base` (what a PATCH sends), or null when none do. */
export function taskChanges(base: TaskValues, v: TaskValues): TaskChanges | null {
  const changes: TaskChanges = {};
  if (v.title.trim() !== base.title) changes.title = v.title.trim();
  if (v.description !== base.description) changes.description = v.description;
  if (v.status !== base.status) changes.status = v.status;
  if (v.priority !== base.priority) changes.priority = v.priority;
  if (v.due !== base.due) changes.dueAt = dueAtOf(v.due);
  return Object.keys(changes).length > 0 ? changes : null;
}

/** The assignment and label calls that take a task from `base` to `v`. */
export function relationChanges(base: Pick<TaskValues, 'assignees' | 'labels'>, v: Pick<TaskValues, 'assignees' | 'labels'>) {
  const added = (from: string[], to: string[]) => to.filter((x) => !from.includes(x));
  return {
    assign: added(base.assignees, v.assignees).map(assigneeRef),
    unassign: added(v.assignees, base.assignees).map((key) => key.split(':')[1]!),
    addLabels: added(base.labels, v.labels),
    removeLabels: added(v.labels, base.labels),
  };
}
