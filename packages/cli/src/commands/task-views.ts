import type { Actor, Task } from '@taskgate/client';
import type { Column } from '../lib/output.js';
import { when } from './scope.js';
import { printDetails } from './views.js';

export const TASK_COLUMNS: Array<Column<Task>> = [
  { header: 'id', value: (t) => t.id },
  { header: 'status', value: (t) => t.status },
  { header: 'priority', value: (t) => t.priority },
  { header: 'due', value: (t) => when(t.dueAt) },
  { header: 'assignees', value: (t) => t.assignees.map((a) => a.name).join(', ') || '—' },
  { header: 'title', value: (t) => t.title },
];

const actor = (a: Actor) => `${a.type} ${a.id}`;

/** `taskgate tasks show` for people: every field, then the description and the result note. */
export function printTask(task: Task): void {
  const text = [task.description, task.resultNote ? `Result: ${task.resultNote}` : ''].filter(Boolean).join('\n\n');
  printDetails(
    task.title,
    [
      ['id', task.id],
      ['project', task.projectId],
      ['status', task.status],
      ['priority', task.priority],
      ['due', when(task.dueAt)],
      ['assignees', task.assignees.map((a) => `${a.name} (${a.type} ${a.id})`).join(', ') || '—'],
      ['labels', task.labels.map((l) => l.name).join(', ') || '—'],
      ['claimed', task.claimedBy ? `by ${actor(task.claimedBy)} at ${when(task.claimedAt)}` : '—'],
      ['completed', when(task.completedAt)],
      ['version', String(task.version)],
      ['created', `${when(task.createdAt)} by ${actor(task.createdBy)}`],
      ['updated', `${when(task.updatedAt)} by ${actor(task.updatedBy)}`],
    ],
    text,
  );
}
