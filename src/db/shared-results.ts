import { deepFreeze, readOnly, type DeepReadonly } from '../lib/deep-readonly.js';
import type { SharedRows } from './read-cache.js';

const MAX_CACHED_RESULTS = 10_000;

interface KeptAnswer {
  sources: readonly object[];
  answer: unknown;
}

/**
 * What a caching read path (SQLite's, PostgreSQL's) holds while the database is unchanged: results by
 * SQL text and arguments, frozen and shared with every caller, and the answers `keep` derived from them.
 * The read path decides when the database changed and calls `clear()`; this only stores.
 */
export class SharedResults {
  // By SQL text (the same string object on every call of a point read, so its hash is computed once), then arguments.
  private readonly results = new Map<string, Map<string, SharedRows<unknown>>>();
  private size = 0;
  /** Every row and row list handed out from memory, and every answer kept: what `keep` may keep for. */
  private readonly shared = new WeakSet<object>();
  /** Answers kept, by their first source, then by name. */
  private readonly kept = new WeakMap<object, Map<string, KeptAnswer>>();

  get(text: string, key: string): SharedRows<unknown> | undefined {
    return this.results.get(text)?.get(key);
  }

  /** Stores rows just read (frozen as well as typed read-only) and hands them out shared. */
  put(text: string, key: string, rows: object[]): SharedRows<unknown> {
    // `in (?, ?, …)` lists and paged queries make keys vary: start over rather than grow without bound.
    if (this.size >= MAX_CACHED_RESULTS) this.clear();
    for (const row of rows) this.shared.add(Object.freeze(row));
    this.shared.add(Object.freeze(rows));
    let ofQuery = this.results.get(text);
    if (!ofQuery) this.results.set(text, (ofQuery = new Map()));
    ofQuery.set(key, rows);
    this.size++;
    return rows;
  }

  /** The database changed (or may have): nothing stored is handed out again. Kept answers go with their sources. */
  clear(): void {
    this.results.clear();
    this.size = 0;
  }

  /** `ReadCache.keep`: see there. */
  keep<Answer>(name: string, sources: readonly [object, ...object[]], derive: () => Answer): DeepReadonly<Answer> {
    for (const source of sources) if (!this.shared.has(source)) return readOnly(derive());
    let byName = this.kept.get(sources[0]);
    const known = byName?.get(name);
    // One name, one kind of answer: what was kept under it is an Answer.
    if (known && sameSources(known.sources, sources)) return known.answer as DeepReadonly<Answer>;
    const answer = deepFreeze(derive());
    if (typeof answer === 'object' && answer !== null) this.shared.add(answer);
    if (!byName) this.kept.set(sources[0], (byName = new Map()));
    byName.set(name, { sources, answer });
    return answer;
  }
}

function sameSources(a: readonly object[], b: readonly object[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The key of a whole query's parameters among the results of its SQL text. It starts with NUL, which no
 * point read's argument does (db/point-read.ts), so it never names a point read's rows.
 */
export function parametersKey(parameters: readonly unknown[]): string {
  return `\u0000${JSON.stringify(parameters)}`;
}
