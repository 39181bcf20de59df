/**
 * API throughput while webhook receivers fail fast (node --import tsx bench/webhook-failing-receivers.ts).
 *
 * Issue 14, item 18: on SQLite, receivers that refuse connections used to cut API throughput by 60–70 %
 * and triple p50, delivery work starving the API. For each scenario, a fresh server process on a fresh
 * SQLite file (default dispatcher settings), one workspace, and autocannon creating tasks through
 * POST /api/v1/tasks for BENCH_SECONDS: first with no webhook, then with BENCH_RECEIVERS webhooks on
 * ports where nothing listens (every attempt fails at once with ECONNREFUSED). Prints requests per
 * second, p50 and p99 for each, and the ratio. One run each: a figure to compare, not a test.
 *
 * Environment: BENCH_SECONDS (default 10), BENCH_RECEIVERS (default 5), BENCH_CONNECTIONS (default 10).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { openDatabase } from '../src/db/database.js';
import { freePort, startServerProcess } from '../test/helpers/server-process.js';
import { call } from './api-call.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RECEIVERS = Number(process.env.BENCH_RECEIVERS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

interface Figures {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Delivery attempts made, and deliveries queued, by the end of the run. */
  attempts: number;
  deliveries: number;
}

async function scenario(receivers: number): Promise<Figures> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-bench-failing-'));
  const server = await startServerProcess({
    DATABASE_URL: path.join(dataDir, 'bench.sqlite'),
    TASKGATE_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  });
  try {
    const email = `bench-${Date.now()}@example.test`;
    await call(server.url, 'POST', '/api/v1/auth/register', null, { email, password: 'bench-password', name: 'Bench' });
    const { sessionToken } = await call<{ sessionToken: string }>(server.url, 'POST', '/api/v1/auth/login', null, {
      email,
      password: 'bench-password',
    });
    const workspace = await call<{ id: string }>(server.url, 'POST', '/api/v1/workspaces', sessionToken, { name: 'Bench' });
    const space = await call<{ id: string }>(server.url, 'POST', `/api/v1/workspaces/${workspace.id}/spaces`, sessionToken, {
      name: 'Bench',
    });
    const project = await call<{ id: string }>(server.url, 'POST', '/api/v1/projects', sessionToken, { spaceId: space.id, name: 'Bench' });
    for (let i = 0; i < receivers; i++) {
      const url = `http://127.0.0.1:${await freePort()}/hook`;
      await call(server.url, 'POST', `/api/v1/workspaces/${workspace.id}/webhooks`, sessionToken, { url, events: ['*'] });
    }
    const result = await autocannon({
      url: `${server.url}/api/v1/tasks`,
      method: 'POST',
      connections: CONNECTIONS,
      duration: SECONDS,
      headers: { authorization: `Bearer ${sessionToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ projectId: project.id, title: 'Bench task' }),
    });
    const created = result.statusCodeStats?.['201']?.count ?? 0;
    if (result.errors > 0 || created < result.requests.total * 0.999) {
      throw new Error(`expected 201 for every request, got ${JSON.stringify(result.statusCodeStats)} (${result.errors} errors)`);
    }
    const handle = await openDatabase(path.join(dataDir, 'bench.sqlite'));
    try {
      const counted = await handle.db
        .selectFrom('webhook_attempts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const queued = await handle.db
        .selectFrom('webhook_deliveries')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return {
        requestsPerSecond: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        attempts: Number(counted.n),
        deliveries: Number(queued.n),
      };
    } finally {
      await handle.close();
    }
  } finally {
    await server.stop('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(
  `API throughput with failing webhook receivers (SQLite, ${CONNECTIONS} connections, ${SECONDS} s each, ${os.cpus().length} CPUs)`,
);
const none = await scenario(0);
console.log(`  ${'no webhooks:'.padEnd(24)}${none.requestsPerSecond.toFixed(0)} req/s, p50 ${none.p50} ms, p99 ${none.p99} ms`);
const failing = await scenario(RECEIVERS);
console.log(
  `  ${`${RECEIVERS} receivers refusing:`.padEnd(24)}${failing.requestsPerSecond.toFixed(0)} req/s, ` +
    `p50 ${failing.p50} ms, p99 ${failing.p99} ms ` +
    `(${failing.deliveries} deliveries queued, ${failing.attempts} attempts made)`,
);
console.log(
  `  ratio: ${(failing.requestsPerSecond / none.requestsPerSecond).toFixed(2)} of the throughput, ` +
    `${(failing.p50 / Math.max(1, none.p50)).toFixed(2)} × the p50`,
);
