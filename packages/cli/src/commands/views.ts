import type { Paginated } from '@taskgate/client';
import { bold, dim, printJson, printTable, type Column } from '../lib/output.js';

export interface ListOptions {
  all?: boolean;
  json?: boolean;
}

/**
 * One page by default, with a hint on stderr when there are more; every page with `--all`, with a
 * running count on stderr when a person is watching it (never in a pipe or a CI log).
 */
export async function fetchList<T>(list: Paginated<T>, options: ListOptions, noun: string): Promise<T[]> {
  if (!options.all) {
    const page = await list.page();
    if (page.nextCursor) process.stderr.write(`${dim(`Showing the first ${page.items.length} ${noun}; add --all for every page.`)}\n`);
    return page.items;
  }
  const items: T[] = [];
  const progress = process.stderr.isTTY === true;
  let cursor: string | undefined;
  do {
    const page = await list.page(cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    if (progress && cursor) process.stderr.write(`\r${items.length} ${noun}…`);
  } while (cursor !== undefined);
  if (progress) process.stderr.write('\r\u001b[K');
  return items;
}

/** Rows as JSON for scripts, or a table for people. */
export function printRows<T>(rows: readonly T[], columns: ReadonlyArray<Column<T>>, options: { json?: boolean }, empty: string): void {
  if (options.json) printJson(rows);
  else printTable(rows, columns, empty);
}

/** One resource: its JSON object for scripts, or a one-row table for people. */
export function printOne<T>(row: T, columns: ReadonlyArray<Column<T>>, options: { json?: boolean }): void {
  if (options.json) printJson(row);
  else printTable([row], columns);
}

/** One resource for people: a bold title, then aligned `name  value` lines, then any long text. */
export function printDetails(title: string, fields: ReadonlyArray<readonly [string, string]>, text = ''): void {
  const width = Math.max(...fields.map(([name]) => name.length));
  process.stdout.write(`${bold(title)}\n`);
  for (const [name, value] of fields) process.stdout.write(`  ${dim(name.padEnd(width))}  ${value}\n`);
  if (text.trim() !== '') process.stdout.write(`\n${text.trimEnd()}\n`);
}

/** `created` / `deleted` / … on stderr: what happened, for people; stdout stays the command's output. */
export function done(message: string): void {
  process.stderr.write(`${message}\n`);
}
