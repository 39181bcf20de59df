import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from '../helpers/cleanups.js';
import { dialectEnv, enabledDialects } from '../helpers/harness.js';
import { dropSchema, freshSchemaName } from '../helpers/postgres.js';
import { childrenOf } from '../helpers/processes.js';
import { startServerProcess } from '../helpers/server-process.js';

const cleanups = cleanupsAfterEach('taskgate-cluster-');

/** The cluster's workers: the primary's children running the server (tsx's esbuild service is one too). */
const workersOf = (primary: number) => childrenOf(primary, 'src/server.ts');

async function until<T>(what: string, probe: () => T | Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: last ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function call(url: string, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(url + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as any };
}

describe.each(enabledDialects())('TASKGATE_WORKERS=2 on %s', (dialect) => {
  async function start() {
    const schema = freshSchemaName();
    if (dialect === 'postgres') cleanups.push(() => dropSchema(schema));
    const server = await startServerProcess({
      ...dialectEnv(dialect, cleanups.tempDir(), schema),
      TASKGATE_WORKERS: '2',
      LOG_LEVEL: 'info',
    });
    cleanups.push(async () => void (await server.stop('SIGKILL')));
    const workers = await until(
      'two workers',
      () => workersOf(server.child.pid!),
      (pids) => pids.length === 2,
    );
    await until(
      'both workers listening',
      () => server.output(),
      (out) => out.includes('running 2 worker processes'),
    );
    return { server, workers };
  }

  it('serves from two workers, and a revocation through one is refused on the next request to either', async () => {
    const { server } = await start();
    const email = `cluster-${Date.now()}@example.test`;
    const password = 'a-long-enough-cluster-password';
    const registered = await call(server.url, 'POST', '/api/v1/auth/register', undefined, { email, password, name: 'Cluster' });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const { sessionToken } = (await call(server.url, 'POST', '/api/v1/auth/login', undefined, { email, password })).body;
    expect((await call(server.url, 'POST', '/api/v1/workspaces', sessionToken, { name: 'Cluster' })).status).toBe(201);
    const issued = await call(server.url, 'POST', '/api/v1/tokens', sessionToken, { name: 'cluster' });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    // Connections are spread over the workers in turn: each new fetch connection may land on either,
    // so several reads warm both workers' caches before the revocation.
    for (let i = 0; i < 6; i++) expect((await call(server.url, 'GET', '/api/v1/me', issued.body.token)).status).toBe(200);
    expect((await call(server.url, 'DELETE', `/api/v1/tokens/${issued.body.id}`, sessionToken)).status).toBe(204);
    for (let i = 0; i < 6; i++) expect((await call(server.url, 'GET', '/api/v1/me', issued.body.token)).status).toBe(401);
  });

  it('replaces a worker that dies, and keeps answering', async () => {
    const { server, workers } = await start();
    process.kill(workers[0]!, 'SIGKILL');
    const replaced = await until(
      'a replacement worker',
      () => workersOf(server.child.pid!),
      (pids) => pids.length === 2 && !pids.includes(workers[0]!),
    );
    expect(replaced).toContain(workers[1]);
    await until(
      'answers again',
      async () => (await fetch(`${server.url}/readyz`).catch(() => null))?.status,
      (status) => status === 200,
    );
    expect(server.output()).toContain('worker died; starting another');
  });

  it('on SIGTERM stops every worker and exits 0', async () => {
    const { server, workers } = await start();
    expect(await server.stop('SIGTERM')).toBe(0);
    for (const pid of workers)
      expect(fs.existsSync(`/proc/${pid}`) && !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z')).toBe(false);
  });
});
