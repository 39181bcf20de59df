import type { Compilable, CompiledQuery } from 'kysely';
import { directReaderOf, type Db } from './database.js';

/** Stands in for the i-th argument while a query is compiled; no real value starts with NUL. */
const marker = (i: number) => `\u0000arg${i}`;
const MARKER = /^\u0000arg(\d+)$/;

/** A compiled query and how to fill its parameters from a call's arguments. */
interface PreparedQuery<Row> {
  compiled: CompiledQuery<Row>;
  /** Gives the query's parameters for these arguments; worked out once, at compile time. */
  bind: (args: readonly string[]) => unknown[];
}

function prepare<Row>(compiled: CompiledQuery<Row>): PreparedQuery<Row> {
  // For each parameter, the argument it stands for, or -1 for a constant Kysely put there.
  const argIndex = compiled.parameters.map((value) => {
    const match = typeof value === 'string' ? MARKER.exec(value) : null;
    return match ? Number(match[1]) : -1;
  });
  const constants = compiled.parameters;
  const bind = (args: readonly string[]) => {
    const parameters = new Array<unknown>(argIndex.length);
    for (let i = 0; i < argIndex.length; i++) {
      const index = argIndex[i]!;
      parameters[i] = index < 0 ? constants[i] : args[index];
    }
    return parameters;
  };
  return { compiled, bind };
}

/**
 * A query on the hot path (every authenticated request), built and compiled by Kysely once per
 * database and then run with fresh arguments. Building a query costs several times what SQLite takes
 * to answer a small indexed one. Arguments must be strings used as plain values.
 *
 * On SQLite the read runs at once and its result is reused while the database is unchanged (see
 * db/sqlite-reads.ts); the rows may therefore be shared and are read-only. The parameters are bound
 * only when SQLite must be asked.
 */
export function prepared<Args extends string[], Row>(build: (db: Db, ...args: Args) => Compilable<Row>) {
  const queries = new WeakMap<Db, PreparedQuery<Row>>();
  return async (db: Db, ...args: Args): Promise<ReadonlyArray<Readonly<Row>>> => {
    let query = queries.get(db);
    if (!query) {
      const markers = args.map((_, i) => marker(i)) as Args;
      queries.set(db, (query = prepare(build(db, ...markers).compile())));
    }
    // Keyed by the arguments: fewer than the parameters when one is used twice (a token's two hashes).
    const direct = directReaderOf(db)?.(query.compiled.sql, args.length === 1 ? args[0]! : args.join('\u0000'), query.bind, args);
    if (direct) return direct as ReadonlyArray<Readonly<Row>>;
    const { rows } = await db.executeQuery<Row>({ ...query.compiled, parameters: query.bind(args) });
    return rows;
  };
}
