import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Database } from './schema.js';

/** A hot-path point read as declared by `cachedRead`: a query built from string arguments. */
export interface PointRead<Args extends string[], Row> {
  readonly build: (db: Kysely<Database>, ...args: Args) => Compilable<Row>;
}

/** A point read compiled once, and how to fill its parameters from a call's arguments. */
export interface CompiledRead<Row> {
  compiled: CompiledQuery<Row>;
  /** Gives the query's parameters for these arguments; worked out once, at compile time. */
  bind: (args: readonly string[]) => unknown[];
}

/** Stands in for the i-th argument while a query is compiled; no real value starts with NUL. */
const marker = (i: number) => `\u0000arg${i}`;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the NUL is the point: no real argument can start with one.
const MARKER = /^\u0000arg(\d+)$/;

/**
 * Builds and compiles the query once, with markers for its arguments: building a Kysely query costs
 * several times what SQLite takes to answer a small indexed one.
 */
function compileRead<Args extends string[], Row>(db: Kysely<Database>, read: PointRead<Args, Row>, arity: number): CompiledRead<Row> {
  const markers = Array.from({ length: arity }, (_, i) => marker(i)) as Args;
  const compiled = read.build(db, ...markers).compile();
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

/** The point reads of one database handle, each compiled at its first use. */
export class CompiledReads {
  // Keyed by the declared read, whose rows are of the type the entry was compiled with.
  private readonly reads = new Map<object, CompiledRead<unknown>>();

  of<Args extends string[], Row>(db: Kysely<Database>, read: PointRead<Args, Row>, args: Args): CompiledRead<Row> {
    let compiled = this.reads.get(read) as CompiledRead<Row> | undefined;
    if (!compiled) {
      compiled = compileRead(db, read, args.length);
      this.reads.set(read, compiled);
    }
    return compiled;
  }
}
