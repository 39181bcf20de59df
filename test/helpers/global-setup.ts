import { execFileSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { TEST_POSTGRES_URL } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAvailable: boolean;
    redisAvailable: boolean;
  }
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A PING over a bare socket: enough to know whether the Redis tests can run. */
function redisReachable(): Promise<boolean> {
  const { hostname, port } = new URL(TEST_REDIS_URL);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/**
 * The client package, the web UI and the compiled server (dist/) as they ship, built once per run from the
 * current source: the browser tests, the example scripts and the production-start test use what ships,
 * never a stale build.
 */
function buildPackages(): void {
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  const options = { cwd: ROOT, stdio: 'pipe', env: { ...process.env, NODE_ENV: 'production' } } as const;
  for (const workspace of ['@taskgate/client', '@taskgate/cli', '@taskgate/web']) {
    execFileSync('npm', ['run', '--silent', 'build', '--workspace', workspace], options);
  }
  execFileSync('npm', ['run', '--silent', 'build'], options);
}

// Each test project (fast, slow) runs the global setup, each with its own copy of this module: a mark on
// the main process's global object makes the builds happen once per run.
const BUILT = Symbol.for('taskgate.test.packagesBuilt');

/** Decides once per run whether the PostgreSQL and Redis suites run; in CI an unreachable server fails the run. */
export default async function setup(project: TestProject): Promise<void> {
  // A quick local run of server-only tests may skip the builds; `npm test` and CI always build.
  const marks = globalThis as { [BUILT]?: true };
  if (process.env.TASKGATE_TEST_SKIP_BUILD !== '1' && !marks[BUILT]) {
    buildPackages();
    marks[BUILT] = true;
  }
  const redis = await redisReachable();
  if (!redis) {
    if (process.env.CI === 'true') throw new Error(`Redis is unreachable at ${TEST_REDIS_URL}; CI must run the shared rate-limit suite`);
    console.warn(`\n*** NOTICE: Redis unreachable at ${TEST_REDIS_URL}: shared-limit tests are SKIPPED (they run in CI) ***\n`);
  }
  project.provide('redisAvailable', redis);
  const available = await postgresReachable();
  if (!available) {
    if (process.env.CI === 'true') throw new Error(`PostgreSQL is unreachable at ${TEST_POSTGRES_URL}; CI must run the PostgreSQL suite`);
    console.warn(`\n*** NOTICE: PostgreSQL unreachable at ${TEST_POSTGRES_URL}: PostgreSQL tests are SKIPPED (they run in CI) ***\n`);
  }
  project.provide('postgresAvailable', available);
}
