import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../helpers/factories.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { remote, type Requester } from '../tokens/remote.js';
import { canRunPrivatePostgres, PrivatePostgres } from './private-postgres.js';
import { faultTenant, missingTasks, waitFor, writeLoad } from './tenant.js';

const DOWN_LOG = 'The database does not answer';

async function ready(api: Requester): Promise<boolean> {
  return (await api.request('GET', '/readyz')).status === 200;
}

describe.skipIf(!canRunPrivatePostgres)('a server whose PostgreSQL goes away (its own cluster)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-fault-'));
  let cluster: PrivatePostgres;
  let server: ServerProcess;
  let api: Requester;

  beforeAll(async () => {
    cluster = await PrivatePostgres.create();
    server = await startServerProcess({
      DATABASE_URL: cluster.url,
      TASKGATE_DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      TASKGATE_DB_CONNECT_TIMEOUT: '1s',
      TASKGATE_DB_STATEMENT_TIMEOUT: '1s',
    });
    api = remote(server.url);
  }, 60_000);

  afterAll(async () => {
    await server?.stop('SIGKILL');
    await cluster?.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('stays up through pg_terminate_backend under write load, and every acknowledged task is stored', async () => {
    const tenant = await faultTenant(api);
    const load = writeLoad(api, tenant, 8);
    await waitFor('writes before the fault', async () => load.acknowledged.length >= 30);
    const before = load.acknowledged.length;
    const ended = await cluster.terminateClients();
    await waitFor('writes after the fault', async () => load.acknowledged.length >= before + 30);
    await load.stop();

    expect(server.child.exitCode).toBeNull();
    expect(ended).toBeGreaterThan(0);
    for (const status of load.statuses.keys()) expect(['201', '503 DATABASE_UNAVAILABLE']).toContain(status);
    const missing = await missingTasks(api, tenant, load.acknowledged);
    expect(missing).toBe(0);
    console.log(
      `[fault pg_terminate_backend] ${ended} backends ended under load; answers ${JSON.stringify(Object.fromEntries(load.statuses))}; ` +
        `${load.acknowledged.length} acknowledged, ${missing} lost`,
    );
  });

  it('answers 503 DATABASE_UNAVAILABLE while PostgreSQL is stopped (even idle), and recovers by itself when it is back', async () => {
    const tenant = await faultTenant(api);
    const task = await api.request('POST', '/api/v1/tasks', { token: tenant.token, body: { projectId: tenant.projectId, title: 'Kept' } });
    expect(task.status).toBe(201);
    const logged = server.output().split(DOWN_LOG).length;

    // Idle: the pool's connections are closed under it with nobody asking (the old crash came 78–203 ms later).
    await cluster.stop();
    const stoppedAt = performance.now();
    await waitFor('the pool to notice', async () => server.output().split(DOWN_LOG).length > logged);
    expect(server.child.exitCode).toBeNull();

    const refused = await api.request('GET', `/api/v1/tasks/${task.body.id}`, { token: tenant.token });
    const refusedAfter = performance.now() - stoppedAt;
    expectError(refused, 503, 'DATABASE_UNAVAILABLE');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expectError(
      await api.request('POST', '/api/v1/tasks', { token: tenant.token, body: { projectId: tenant.projectId, title: 'Refused' } }),
      503,
      'DATABASE_UNAVAILABLE',
    );
    expectError(await api.request('GET', '/readyz'), 503, 'DATABASE_UNAVAILABLE');
    expect((await api.request('GET', '/healthz')).status).toBe(200);

    await cluster.start();
    const startedAt = performance.now();
    await waitFor('readiness', () => ready(api));
    const recoveredIn = performance.now() - startedAt;
    expect((await api.request('GET', `/api/v1/tasks/${task.body.id}`, { token: tenant.token })).status).toBe(200);
    expect(
      (await api.request('POST', '/api/v1/tasks', { token: tenant.token, body: { projectId: tenant.projectId, title: 'After' } })).status,
    ).toBe(201);
    // Logged once going down (not per failed request), once coming back.
    expect(server.output().split(DOWN_LOG).length - logged).toBe(1);
    expect(server.output()).toContain('The database answers again');
    console.log(
      `[fault pg stop] process stayed up; 503 DATABASE_UNAVAILABLE ${refusedAfter.toFixed(0)} ms after the stop; ` +
        `ready again ${recoveredIn.toFixed(0)} ms after the start`,
    );
  });

  it('answers 503 within the timeouts while PostgreSQL is frozen (SIGSTOP), and recovers on SIGCONT', async () => {
    const tenant = await faultTenant(api);
    const task = await api.request('POST', '/api/v1/tasks', {
      token: tenant.token,
      body: { projectId: tenant.projectId, title: 'Frozen' },
    });
    expect(task.status).toBe(201);

    cluster.freeze();
    try {
      // Without timeouts these would wait for as long as the database is frozen: until the test gives up.
      const frozenAt = performance.now();
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => api.request('GET', `/api/v1/tasks/${task.body.id}`, { token: tenant.token })),
      );
      const allAnsweredIn = performance.now() - frozenAt;
      for (const res of answers) expectError(res, 503, 'DATABASE_UNAVAILABLE');
      const probeAt = performance.now();
      expectError(await api.request('GET', '/readyz'), 503, 'DATABASE_UNAVAILABLE');
      const readyzIn = performance.now() - probeAt;
      console.log(
        '[fault pg SIGSTOP] statement timeout 1s, connect timeout 1s: ' +
          `20 concurrent requests all answered 503 within ${allAnsweredIn.toFixed(0)} ms; /readyz 503 in ${readyzIn.toFixed(0)} ms`,
      );
    } finally {
      cluster.thaw();
    }
    const thawedAt = performance.now();
    await waitFor('readiness', () => ready(api));
    console.log(`[fault pg SIGCONT] ready again ${(performance.now() - thawedAt).toFixed(0)} ms after SIGCONT`);
    expect((await api.request('GET', `/api/v1/tasks/${task.body.id}`, { token: tenant.token })).status).toBe(200);
    expect(server.child.exitCode).toBeNull();
  });
});
