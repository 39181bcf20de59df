import type { Task } from '@taskgate/client';

export type Priority = Task['priority'];
export const PRIORITIES: readonly Priority[] = ['none', 'low', 'medium', 'high', 'urgent'];
const SORTS = ['position', 'createdAt', 'updatedAt', 'dueAt', 'priority'] as const;
export type SortField = (typeof SORTS)[number];
export type Sort = SortField | `-${SortField}`;

/** A project page's view and filters, kept in the URL so a filtered view survives a reload and can be shared. */
export interface TaskSearch {
  view?: 'list';
  status?: string;
  /** A user or agent id, or "me". */
  assignee?: string;
  label?: string;
  priority?: Priority;
  q?: string;
  /** YYYY-MM-DD, inclusive. */
  dueFrom?: string;
  dueTo?: string;
  sort?: Sort;
  /** The task open in the details dialog. */
  task?: string;
}

const ID = /^[A-Za-z0-9_]{1,64}$/;
const STATUS_KEY = /^[a-z][a-z0-9_]{0,39}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const text = (value: unknown, pattern: RegExp) => (typeof value === 'string' && pattern.test(value) ? value : undefined);

function sortOf(value: unknown): Sort | undefined {
  if (typeof value !== 'string') return undefined;
  const field = value.startsWith('-') ? value.slice(1) : value;
  return (SORTS as readonly string[]).includes(field) ? (value as Sort) : undefined;
}

export function taskSearch(search: Record<string, unknown>): TaskSearch {
  const q = typeof search.q === 'string' && search.q.trim() !== '' ? search.q.slice(0, 200) : undefined;
  const result: TaskSearch = {
    view: search.view === 'list' ? 'list' : undefined,
    status: text(search.status, STATUS_KEY),
    assignee: text(search.assignee, ID),
    label: text(search.label, ID),
    priority: PRIORITIES.find((p) => p === search.priority),
    q,
    dueFrom: text(search.dueFrom, DAY),
    dueTo: text(search.dueTo, DAY),
    sort: sortOf(search.sort),
    task: text(search.task, ID),
  };
  // Absent keys rather than undefined ones: the URL stays free of empty parameters.
  return Object.fromEntries(Object.entries(result).filter(([, v]) => v !== undefined)) as TaskSearch;
}

/** A local calendar day as the API's instants: from its first millisecond, to before the next day. */
function dayStart(day: string): Date {
  return new Date(`${day}T00:00:00`);
}

/** The API's filters for a page's search (the view, sort and open task are the page's own). */
export function taskFilters(search: TaskSearch) {
  return {
    ...(search.status ? { status: search.status } : {}),
    ...(search.assignee ? { assignee: search.assignee } : {}),
    ...(search.label ? { label: search.label } : {}),
    ...(search.priority ? { priority: search.priority } : {}),
    ...(search.q ? { q: search.q } : {}),
    ...(search.dueFrom ? { dueAfter: new Date(dayStart(search.dueFrom).getTime() - 1).toISOString() } : {}),
    ...(search.dueTo ? { dueBefore: new Date(dayStart(search.dueTo).getTime() + 86_400_000).toISOString() } : {}),
    ...(search.sort ? { sort: search.sort } : {}),
  };
}
export type TaskFilters = ReturnType<typeof taskFilters>;
