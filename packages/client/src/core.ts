import type { Client } from 'openapi-fetch';
import { TaskgateError } from './errors.js';
import type { paths } from './generated/openapi.js';
import { Paginated, type Page } from './paging.js';
import { callSignal } from './transport.js';

export type Api = Client<paths>;

/** Options every call takes. */
export interface CallOptions {
  /** Abort the call (and any retry it is waiting for). */
  signal?: AbortSignal;
  /** Give up after this many milliseconds, retries included (default: the client's `timeoutMs`). */
  timeoutMs?: number;
}

type Operation<P extends keyof paths, M extends keyof paths[P]> = paths[P][M];

/** The query parameters of an operation, without the cursor (paging is the client's business). */
export type QueryOf<P extends keyof paths, M extends keyof paths[P]> =
  Operation<P, M> extends { parameters: { query?: infer Q } } ? Omit<NonNullable<Q>, 'cursor'> : never;

/** The JSON body an operation takes. */
export type BodyOf<P extends keyof paths, M extends keyof paths[P]> =
  Operation<P, M> extends { requestBody?: infer B }
    ? NonNullable<B> extends { content: { 'application/json': infer J } }
      ? J
      : never
    : never;

interface Outcome<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/** What every resource shares: the typed HTTP client and the per-call options. */
export class Core {
  constructor(
    readonly api: Api,
    private readonly defaultTimeoutMs: number | undefined,
  ) {}

  /** The fetch options of one call. */
  init(options: CallOptions = {}, headers?: Record<string, string>): { signal?: AbortSignal; headers?: Record<string, string> } {
    const signal = callSignal(options.signal, options.timeoutMs ?? this.defaultTimeoutMs);
    return { ...(signal ? { signal } : {}), ...(headers ? { headers } : {}) };
  }

  /** The answer's body, or the TaskgateError it stands for. */
  async send<D>(pending: Promise<Outcome<D>>): Promise<Exclude<D, undefined>> {
    const { data, error, response } = await pending;
    if (!response.ok) throw new TaskgateError(response, error);
    return data as Exclude<D, undefined>;
  }

  /** A list walked page by page; `fetchPage` gets the cursor of the page to fetch. */
  paginate<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>): Paginated<T> {
    return new Paginated(fetchPage);
  }
}

/**
 * An id for a URL path. An empty one would turn `/tokens/{id}` into `/tokens/`, another route: a
 * client bug must not become a call to the collection.
 */
export function pathId(value: string, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new TypeError(`${what} is required`);
  return value;
}
