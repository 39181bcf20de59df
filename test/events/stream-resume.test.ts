import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Taskgate, type Event } from '../../packages/client/src/index.js';
import { recordEvent } from '../../src/events/events.service.js';
import { describeEachDialect, enabledDialects, startTestApp, type TestApp } from '../helpers/harness.js';
import { createTask, ok, ownProject } from '../tasks/fixtures.js';
import { eventAbout, openStream, STREAM_TEST_ENV, streamSocketsOf } from './stream-reader.js';

describeEachDialect(
  'resuming an event stream that has sent no event yet',
  (app) => {
    // fetch (undici) opens a spare connection when a stream is aborted; it would hold the server's close open.
    afterAll(() => app().app.server.closeAllConnections());

    it('sends its start position as an id on opening, and resuming from it misses nothing', async () => {
      const { owner, workspace, project } = await ownProject(app());
      const first = await openStream(app().url, workspace.id, { token: owner.token });
      const opened = await first.waitFor((item) => item.kind === 'id', 'the id sent on opening');
      expect(first.items.slice(0, 2)).toMatchObject([{ kind: 'retry' }, { kind: 'id' }]);
      first.close();
      await first.ended;
      const task = await createTask(app(), owner, project.id, { title: 'Made while disconnected' });
      const again = await openStream(app().url, workspace.id, { token: owner.token, lastEventId: opened.kind === 'id' ? opened.id : '' });
      try {
        await again.waitFor(eventAbout('task.created', task.id), 'the task made while disconnected');
      } finally {
        again.close();
      }
    });

    it('the client reconnects from the id sent on opening when the connection drops before any event', async () => {
      const { owner, workspace, project } = await ownProject(app());
      const streamSockets = streamSocketsOf(app().app.server, workspace.id);
      const abort = new AbortController();
      const stream = new Taskgate({ baseUrl: app().url, token: owner.token }).events.stream(workspace.id, { signal: abort.signal });
      const events = stream[Symbol.asyncIterator]();
      try {
        const next = events.next();
        await expect.poll(() => stream.lastEventId, { timeout: 30_000 }).not.toBeNull();
        // Cut before any event; the task is made while the client waits its reconnection delay (at least 1.5 s).
        for (const socket of streamSockets.sockets) socket.destroy();
        const task = await createTask(app(), owner, project.id, { title: 'Made while reconnecting' });
        const received = (await next).value as Event;
        expect(received).toMatchObject({ type: 'task.created', resourceId: task.id });
        expect(streamSockets.sockets.length).toBe(2);
      } finally {
        abort.abort();
        streamSockets.stop();
      }
    });
  },
  STREAM_TEST_ENV,
);

/** Resolves when `release` is called: holds a transaction open at a chosen point. */
function gate() {
  let release!: () => void;
  const opened = new Promise<void>((resolve) => (release = resolve));
  return { opened, release };
}

// SQLite has one writer at a time: no transaction can commit behind one a list already showed.
describe.runIf(enabledDialects().includes('postgres'))('resuming after an event id [postgres]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('postgres', STREAM_TEST_ENV);
  });
  afterAll(async () => t?.close());

  it('delivers an event of an older transaction that committed after the list showed the resumed-from event', async () => {
    const { owner, workspace, project } = await ownProject(t);
    const xidTaken = gate();
    const listed = gate();
    const older = t.ctx.db.transaction().execute(async (trx) => {
      await sql`select pg_current_xact_id()`.execute(trx);
      xidTaken.release();
      await listed.opened;
      await recordEvent(trx, {
        workspaceId: workspace.id,
        type: 'task.updated',
        actor: { type: 'user', id: owner.id },
        resourceType: 'task',
        resourceId: 'tsk_older_transaction',
        projectId: project.id,
        data: { note: 'older' },
      });
    });
    await xidTaken.opened;
    const x = await createTask(t, owner, project.id, { title: 'X' });
    const list = ok(await t.request('GET', `/api/v1/workspaces/${workspace.id}/events?limit=1`, { token: owner.token })).items;
    expect(list[0]).toMatchObject({ type: 'task.created', resourceId: x.id });
    listed.release();
    await older;

    const stream = await openStream(t.url, workspace.id, { token: owner.token, after: list[0].id });
    try {
      expect(stream.status).toBe(200);
      await stream.waitFor(eventAbout('task.updated', 'tsk_older_transaction'), 'the older transaction’s event');
      const ids = stream.events().map((e) => e.data.id);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      stream.close();
    }
  });
});
