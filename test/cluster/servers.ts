import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { DialectName } from '../../src/db/database.js';
import { dialectEnv } from '../helpers/harness.js';
import { dropSchema, freshSchemaName } from '../helpers/postgres.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { remote, type Requester } from '../tokens/remote.js';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** One server process and a way to send it requests. */
export interface Remote extends Requester {
  server: ServerProcess;
}

/**
 * A fresh database (SQLite file or PostgreSQL schema) for processes to share, with the one encryption key
 * every process of an installation must have; removed by the returned clean-up.
 */
export function sharedStorage(dialect: DialectName): { env: Record<string, string>; remove(): Promise<void> } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-cluster-'));
  const schema = freshSchemaName();
  return {
    env: { ...dialectEnv(dialect, dataDir, schema), TASKGATE_ENCRYPTION_KEY: randomBytes(32).toString('base64') },
    async remove() {
      if (dialect === 'postgres') await dropSchema(schema);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * `count` server processes on one fresh database, started before the enclosing suite (one after the
 * other: the first migrates) and killed after it. The getter is valid inside tests; each test makes its
 * own tenant.
 */
export function serversPerSuite(dialect: DialectName, count: number, env: Record<string, string> = {}): () => Remote[] {
  const storage = sharedStorage(dialect);
  const started: Remote[] = [];
  beforeAll(async () => {
    for (let i = 0; i < count; i++) {
      const server = await startServerProcess({ ...storage.env, ...env }, 60_000);
      started.push({ server, ...remote(server.url) });
    }
  }, 180_000);
  afterAll(async () => {
    await Promise.all(started.map(({ server }) => server.stop('SIGKILL')));
    await storage.remove();
  });
  return () => {
    if (started.length !== count) throw new Error('servers: not started');
    return started;
  };
}

/**
 * One request on a connection of its own (closed after it), so that the requests of a cluster are spread
 * over its workers rather than following one kept-alive connection to one worker.
 */
export function onNewConnection(
  url: string,
  method: string,
  route: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url + route, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The `pid` of the process that logged `request completed` for each request id (pino's JSON lines). */
export function answeredBy(output: string): Map<string, number> {
  const pids = new Map<string, number>();
  for (const line of output.split('\n')) {
    if (!line.includes('"request completed"')) continue;
    try {
      const entry = JSON.parse(line) as { reqId?: string; pid?: number };
      if (entry.reqId && entry.pid) pids.set(entry.reqId, entry.pid);
    } catch {
      // a line cut by the pipe: not a whole log entry
    }
  }
  return pids;
}
