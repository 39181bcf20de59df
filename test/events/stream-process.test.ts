import { expect, it } from 'vitest';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';
import { startServerProcess } from '../helpers/server-process.js';
import { createTask, ok, ownProject } from '../tasks/fixtures.js';
import { eventAbout, isEnd, openStream, STREAM_TEST_ENV } from './stream-reader.js';

/** Another Taskgate server process on the same database as the test app (another replica). */
function secondProcess(t: TestApp) {
  const { databaseUrl, databaseSchema } = t.ctx.config;
  return startServerProcess({
    ...STREAM_TEST_ENV,
    DATABASE_URL: databaseUrl,
    TASKGATE_DATA_DIR: t.dataDir,
    ...(databaseSchema ? { TASKGATE_DB_SCHEMA: databaseSchema } : {}),
  });
}

describeEachDialect(
  'the event stream across server processes',
  (app) => {
    it("delivers a change another server process made, and that process's shutdown ends its streams", async () => {
      const { owner, workspace, project } = await ownProject(app());
      const other = await secondProcess(app());
      const here = await openStream(app().url, workspace.id, { token: owner.token });
      const there = await openStream(other.url, workspace.id, { token: owner.token });
      try {
        const made = ok(
          await fetchJson(other.url, '/api/v1/tasks', owner.token, { projectId: project.id, title: 'From the other process' }),
          201,
        );
        await here.waitFor(eventAbout('task.created', made.id), 'the other process’s task.created');
        const madeHere = await createTask(app(), owner, project.id, { title: 'From this process' });
        await there.waitFor(eventAbout('task.created', madeHere.id), 'this process’s task.created, on the other process');

        expect(await other.stop('SIGTERM')).toBe(0);
        await there.ended;
        // A shutdown is not the caller losing access: no `end`, so clients reconnect elsewhere.
        expect(there.items.some(isEnd)).toBe(false);
      } finally {
        here.close();
        there.close();
        await other.stop('SIGKILL');
      }
    });

    it('delivers every event of a burst of concurrent changes exactly once, in the order a resumed stream replays', async () => {
      const { owner, workspace, project } = await ownProject(app());
      const live = await openStream(app().url, workspace.id, { token: owner.token });
      try {
        const tasks = await Promise.all(
          Array.from({ length: 12 }, (_, i) => createTask(app(), owner, project.id, { title: `Burst ${i}` })),
        );
        for (const task of tasks) await live.waitFor(eventAbout('task.created', task.id), `task ${task.title}`);
        const burst = live.events().filter((e) => e.type === 'task.created');
        const received = burst.map((e) => e.data.resourceId);
        expect(received.slice().sort()).toEqual(tasks.map((t) => t.id).sort());

        const replay = await openStream(app().url, workspace.id, { token: owner.token, after: burst[0]!.id! });
        try {
          await replay.waitFor(eventAbout('task.created', received.at(-1)!), 'the last task of the burst');
          expect(replay.events().map((e) => e.data.resourceId)).toEqual(received.slice(1));
        } finally {
          replay.close();
        }
      } finally {
        live.close();
      }
    });
  },
  STREAM_TEST_ENV,
);

async function fetchJson(baseUrl: string, path: string, token: string, body: unknown) {
  const res = await fetch(baseUrl + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any, headers: res.headers, text: '' };
}
