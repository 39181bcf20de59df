/** Colour only for a person at a terminal, and never when NO_COLOR is set (https://no-color.org). */
function useColour(stream: NodeJS.WriteStream = process.stdout): boolean {
  return stream.isTTY === true && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '');
}

const paint = (code: string) => (text: string) => (useColour() ? `\u001b[${code}m${text}\u001b[0m` : text);
export const bold = paint('1');
export const dim = paint('2');
export const red = paint('31');
const yellow = paint('33');

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export interface Column<T> {
  header: string;
  value: (row: T) => string;
}

/** A plain table: a header row and aligned columns, for people (scripts use --json). */
export function printTable<T>(rows: readonly T[], columns: ReadonlyArray<Column<T>>, empty = 'Nothing to show.'): void {
  if (rows.length === 0) {
    process.stdout.write(`${empty}\n`);
    return;
  }
  const cells = rows.map((row) => columns.map((column) => column.value(row).replace(/\s+/g, ' ')));
  const widths = columns.map((column, i) => Math.max(column.header.length, ...cells.map((line) => line[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((value, i) => (i === values.length - 1 ? value : value.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${bold(line(columns.map((c) => c.header.toUpperCase())))}\n`);
  for (const values of cells) process.stdout.write(`${line(values)}\n`);
}

/** A one-time secret: alone on stdout (so `$(taskgate tokens create …)` captures it), the warning on stderr. */
export function printSecret(secret: string, what: string): void {
  process.stderr.write(`${yellow('!')} ${what}: copy it now, it will not be shown again.\n`);
  process.stdout.write(`${secret}\n`);
}

export function warn(message: string): void {
  process.stderr.write(`${yellow('warning:')} ${message}\n`);
}
