import type { SharedTaskView } from '../../tasks/task-views.js';

// The text half of a tool's answer: short, but with the ids a model needs to act on, since some
// clients show a model only the text.

/** One task on one line. */
export function taskLine(task: SharedTaskView): string {
  const claim = task.claimedBy ? `, claimed by ${task.claimedBy.type} ${task.claimedBy.id}` : '';
  return `${task.id} "${task.title}" [${task.status}, ${task.priority}${claim}] v${task.version}`;
}

/** A page of a list in a line: how many, each with its id, and how to get the next page. */
export function pageSummary(noun: string, lines: readonly string[], nextCursor: string | null): string {
  const more = nextCursor ? ` More: call again with cursor "${nextCursor}".` : '';
  return `${lines.length} ${noun}(s): ${lines.join('; ') || 'none'}.${more}`;
}

const EXCERPT_CHARS = 2000;

/** A long text cut short for the summary; the structured result keeps all of it. */
export function excerpt(text: string): string {
  return text.length <= EXCERPT_CHARS
    ? text
    : `${text.slice(0, EXCERPT_CHARS)}… (cut; the structured result has all ${text.length} characters)`;
}
