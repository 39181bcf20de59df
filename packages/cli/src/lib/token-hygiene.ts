import type { Command } from 'commander';
import type { Column } from './output.js';

interface Hygiene {
  expiresInDays: number | null;
  stale: boolean;
}

/** "12d", "<1d" on the last day, "-" once expired. */
function expiresIn(days: number | null): string {
  if (days === null) return '-';
  return days === 0 ? '<1d' : `${days}d`;
}

/** The columns every token list shows about expiry and staleness. */
export function hygieneColumns<T extends Hygiene>(): Array<Column<T>> {
  return [
    { header: 'expires in', value: (t) => expiresIn(t.expiresInDays) },
    { header: 'stale', value: (t) => (t.stale ? 'stale' : '') },
  ];
}

export interface HygieneOptions {
  stale?: boolean;
  expiring?: boolean;
}

/** Adds `--stale` and `--expiring` to a list command (read them with `hygieneQuery`). */
export function withHygieneFilters(command: Command): Command {
  return command
    .option('--stale', 'only tokens unused for the stale period (90 days unless the server says otherwise)')
    .option('--expiring', 'only tokens that expire within the first warning window (7 days unless the server says otherwise)');
}

/** The list query's `stale` and `expiring`, for the flags given. */
export function hygieneQuery(options: HygieneOptions): { stale?: true; expiring?: true } {
  return { ...(options.stale ? { stale: true } : {}), ...(options.expiring ? { expiring: true } : {}) };
}
