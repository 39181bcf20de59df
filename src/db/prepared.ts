import type { Compilable, CompiledQuery } from 'kysely';
import { directReaderOf, type Db } from './database.js';

/** Stands in for the i-th argument while a query is compiled; no real value starts with NUL. */
const marker = (i: number) => `\u0000arg${i}`;

/**
 * A query on the hot path (every authenticated request), built and compiled by Kysely once per
 * database and then run with fresh arguments. Building a query costs several times what SQLite takes
 * to answer a small indexed one. Arguments must be strings used as plain values.
 *
 * On SQLite the read runs at once and its result is reused while the database is unchanged (see
 * db/sqlite-reads.ts); the rows may therefore be shared and are read-only.
 */
export function prepared<Args extends string[], Row>(build: (db: Db, ...args: Args) => Compilable<Row>) {
  const compiled = new WeakMap<Db, CompiledQuery<Row>>();
  return async (db: Db, ...args: Args): Promise<ReadonlyArray<Readonly<Row>>> => {
    let query = compiled.get(db);
    if (!query) {
      const markers = args.map((_, i) => marker(i)) as Args;
      compiled.set(db, (query = build(db, ...markers).compile()));
    }
    const parameters = query.parameters.map((value) =>
      typeof value === 'string' && value.startsWith('\u0000arg') ? args[Number(value.slice(4))] : value,
    );
    // Keyed by the arguments: fewer than the parameters when one is used twice (a token's two hashes).
    const direct = directReaderOf(db)?.(query.sql, parameters, args.length === 1 ? args[0]! : args.join('\u0000'));
    if (direct) return direct as ReadonlyArray<Readonly<Row>>;
    const { rows } = await db.executeQuery<Row>({ ...query, parameters });
    return rows;
  };
}
