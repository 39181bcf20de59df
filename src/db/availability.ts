import type pg from 'pg';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import { AppError } from '../errors/app-error.js';

/** Seconds a client is asked to wait before retrying while the database is away. */
const DATABASE_RETRY_AFTER_SECONDS = 2;

/** The answer a request gets while the database cannot be reached or does not answer in time. */
function databaseUnavailable(): AppError {
  return new AppError(
    'DATABASE_UNAVAILABLE',
    'The database is not reachable right now; retry shortly',
    { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS },
    { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) },
  );
}

// Socket-level failures: the server is gone, restarting or unreachable.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);
// 57P01 admin_shutdown (pg_terminate_backend, a stop), 57P02 crash_shutdown, 57P03 cannot_connect_now
// (starting up or in recovery), 57014 query_canceled (our statement_timeout), 53300 too_many_connections.
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '57014', '53300']);
// node-postgres raises these without a code; its messages are the only thing that tells them apart.
const CLIENT_MESSAGES = [
  'Connection terminated',
  'Query read timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
];

/**
 * True when a PostgreSQL error says the database could not be reached or did not answer in time
 * (as opposed to a query it refused): the request may succeed once the database is back.
 */
function isConnectionError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || SERVER_CODES.has(code) || code.startsWith('08'))) return true;
  return typeof message === 'string' && CLIENT_MESSAGES.some((m) => message.startsWith(m));
}

/** Whether the database answered its last statement; changes are reported once each way. */
export class DatabaseHealth {
  private up = true;

  constructor(private readonly onChange: (up: boolean, err?: unknown) => void = () => undefined) {}

  get isUp(): boolean {
    return this.up;
  }

  answered(): void {
    if (this.up) return;
    this.up = true;
    this.onChange(true);
  }

  failed(err: unknown): void {
    if (!this.up) return;
    this.up = false;
    this.onChange(false, err);
  }
}

type PgClient = pg.PoolClient;

/**
 * The pool Kysely sees: connection failures become DATABASE_UNAVAILABLE (503) instead of a 500 or a
 * crash, and a client whose connection broke or timed out is destroyed on release rather than handed to
 * the next request. Without an `error` listener, node-postgres's pool (idle clients) and a checked-out
 * client (its socket dying between two queries) would throw an unhandled `error` event and kill the process.
 */
export function resilientPool(pool: pg.Pool, health: DatabaseHealth): PostgresPool {
  pool.on('error', (err) => health.failed(err));
  pool.on('connect', (client) => client.on('error', (err: Error) => health.failed(err)));
  const translate = (err: unknown): never => {
    if (!isConnectionError(err)) throw err;
    health.failed(err);
    throw databaseUnavailable();
  };
  // One wrapper per connection, kept with it: Kysely keeps its own connection object per client it is handed.
  const wrappers = new WeakMap<PgClient, PostgresPoolClient>();
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect().catch(translate);
      let wrapper = wrappers.get(client);
      if (!wrapper) wrappers.set(client, (wrapper = wrapClient(client, health, translate)));
      return wrapper;
    },
    end: () => pool.end(),
  };
}

function wrapClient(client: PgClient, health: DatabaseHealth, translate: (err: unknown) => never): PostgresPoolClient {
  let broken = false;
  const onResult = <T>(result: T): T => {
    health.answered();
    return result;
  };
  const onError = (err: unknown): never => {
    if (isConnectionError(err)) broken = true;
    return translate(err);
  };
  return {
    query(...args: unknown[]) {
      const result = (client.query as (...a: unknown[]) => unknown)(...args);
      // A cursor (Kysely's streaming) is returned as is; plain queries are promises.
      if (result instanceof Promise) return result.then(onResult, onError);
      return result;
    },
    // A broken client goes away instead of back to the pool: its connection would fail the next request too.
    // (The pool sets a fresh `release` on the client at each checkout: looked up at call time.)
    release: () => client.release(broken),
  } as PostgresPoolClient;
}
