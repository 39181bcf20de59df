import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess } from '../helpers/server-process.js';
import { remote } from '../tokens/remote.js';
import { canRunPrivatePostgres, PrivatePostgres } from './private-postgres.js';
import { faultTenant, missingTasks, waitFor, writeLoad } from './tenant.js';

describe('kill -9 under write load: every task acknowledged with 201 is there after a restart', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-fault-kill-'));
  let cluster: PrivatePostgres | null = null;

  beforeAll(async () => {
    if (canRunPrivatePostgres) cluster = await PrivatePostgres.create();
  }, 60_000);

  afterAll(async () => {
    await cluster?.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const cases: Array<[string, () => Record<string, string>]> = [
    ['sqlite', () => ({ DATABASE_URL: path.join(dataDir, 'taskgate.sqlite'), TASKGATE_DATA_DIR: dataDir })],
    ['postgres', () => ({ DATABASE_URL: cluster?.url ?? '', TASKGATE_DATA_DIR: dataDir })],
  ];

  for (const [dialect, env] of cases) {
    it.skipIf(dialect === 'postgres' && !canRunPrivatePostgres)(
      `[${dialect}]`,
      async () => {
        const first = await startServerProcess(env());
        const tenant = await faultTenant(remote(first.url));
        const load = writeLoad(remote(first.url), tenant, 16);
        await waitFor('writes under way', async () => load.acknowledged.length >= 60);
        first.child.kill('SIGKILL');
        await first.exited;
        await load.stop();

        const second = await startServerProcess(env());
        try {
          const missing = await missingTasks(remote(second.url), tenant, load.acknowledged);
          expect(missing).toBe(0);
          console.log(
            `[fault kill -9, ${dialect}] ${load.acknowledged.length} tasks acknowledged before the kill, ` +
              `${missing} lost after the restart; answers ${JSON.stringify(Object.fromEntries(load.statuses))}`,
          );
        } finally {
          await second.stop('SIGKILL');
        }
      },
      120_000,
    );
  }
});
