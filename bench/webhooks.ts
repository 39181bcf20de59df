/**
 * Webhook delivery throughput (npm run bench:webhooks): events per second from the events outbox to a
 * local receiver, through a real server process with its default dispatcher settings.
 *
 * For each dialect: start `src/server.ts` on a fresh database, create a workspace and a webhook that
 * points at a receiver in this process (answering 200 at once), then commit a burst of events straight
 * into the outbox (as domain changes would, one transaction) and time until the receiver has seen every
 * one. The figure covers fan-out, claiming, signing, the HTTP POST and recording each attempt.
 *
 * Environment: BENCH_EVENTS (default 5000), BENCH_ROUNDS (default 3; the median is reported),
 * BENCH_DIALECTS (default "sqlite,postgres"; PostgreSQL at TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase } from '../src/db/database.js';
import { recordEvent } from '../src/events/events.service.js';
import { call } from './api-call.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EVENTS = Number(process.env.BENCH_EVENTS ?? 5000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DIALECTS = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',');
const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Counts distinct webhook-ids; resolves `done` once `expected` of them have arrived. */
function startReceiver() {
  const seen = new Set<string>();
  let requests = 0;
  let target = Infinity;
  let onDone: () => void = () => undefined;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      const id = req.headers['webhook-id'];
      if (typeof id === 'string') seen.add(id);
      res.writeHead(200).end();
      if (seen.size >= target) onDone();
    });
  });
  return new Promise<{
    url: string;
    expect(count: number): Promise<void>;
    stats(): { seen: number; requests: number };
    reset(): void;
    close(): void;
  }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      resolve({
        url: `http://127.0.0.1:${address.port}/hook`,
        expect: (count) =>
          new Promise<void>((done) => {
            target = count;
            onDone = done;
            if (seen.size >= target) done();
          }),
        stats: () => ({ seen: seen.size, requests }),
        reset: () => {
          seen.clear();
          requests = 0;
          target = Infinity;
        },
        close: () => {
          server.closeAllConnections();
          server.close();
        },
      });
    });
  });
}

async function startServer(env: Record<string, string>) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      TASKGATE_PASSWORD_HASH_COST: '1024',
      TASKGATE_WEBHOOK_ALLOW_PRIVATE: 'true',
      ...env,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      if (tries > 300) throw new Error('the server did not start');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function benchDialect(dialect: string): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-bench-webhooks-'));
  const schema = `bench_webhooks_${randomBytes(4).toString('hex')}`;
  const databaseUrl = dialect === 'postgres' ? POSTGRES_URL : path.join(dataDir, 'bench.sqlite');
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    TASKGATE_DATA_DIR: dataDir,
    ...(dialect === 'postgres' ? { TASKGATE_DB_SCHEMA: schema } : {}),
  };
  const receiver = await startReceiver();
  const server = await startServer(env);
  const handle = await openDatabase(databaseUrl, dialect === 'postgres' ? schema : null);
  try {
    const email = `bench-${randomBytes(4).toString('hex')}@example.test`;
    const { user } = await call<{ user: { id: string } }>(server.url, 'POST', '/api/v1/auth/register', null, {
      email,
      password: 'bench-password',
      name: 'Bench',
    });
    const { sessionToken } = await call<{ sessionToken: string }>(server.url, 'POST', '/api/v1/auth/login', null, {
      email,
      password: 'bench-password',
    });
    const workspace = await call<{ id: string }>(server.url, 'POST', '/api/v1/workspaces', sessionToken, { name: 'Bench' });
    await call(server.url, 'POST', `/api/v1/workspaces/${workspace.id}/webhooks`, sessionToken, { url: receiver.url, events: ['*'] });

    const rates: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      receiver.reset();
      const arrived = receiver.expect(EVENTS);
      const started = performance.now();
      await handle.db.transaction().execute(async (trx) => {
        for (let i = 0; i < EVENTS; i++) {
          await recordEvent(trx, {
            workspaceId: workspace.id,
            type: 'task.updated',
            actor: { type: 'user', id: user.id },
            resourceType: 'task',
            resourceId: `tsk_bench_${round}_${i}`,
            data: { id: `tsk_bench_${round}_${i}`, title: `Task ${i}`, status: 'in_progress', priority: 2, description: 'x'.repeat(200) },
          });
        }
      });
      await arrived;
      const seconds = (performance.now() - started) / 1000;
      const { requests } = receiver.stats();
      rates.push(EVENTS / seconds);
      console.log(
        `  ${dialect} round ${round + 1}: ${EVENTS} events in ${seconds.toFixed(2)} s = ` +
          `${(EVENTS / seconds).toFixed(0)} events/s (${requests} requests)`,
      );
    }
    console.log(`${dialect}: median ${median(rates).toFixed(0)} events/s delivered (${EVENTS} events per round, ${ROUNDS} rounds)`);
  } finally {
    await handle.close();
    await server.stop();
    receiver.close();
    if (dialect === 'postgres') {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(`Webhook delivery throughput: ${EVENTS} events per round, ${ROUNDS} rounds, ${os.cpus().length} CPUs`);
for (const dialect of DIALECTS) {
  if (dialect === 'postgres' && !(await postgresReachable())) {
    console.log(`postgres: skipped (unreachable at ${POSTGRES_URL})`);
    continue;
  }
  await benchDialect(dialect);
}
