import { afterAll, expect, it } from 'vitest';
import { Taskgate, TaskgateError, type Event } from '../../packages/client/src/index.js';
import { createUser } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';
import { createTask, ok, ownProject } from '../tasks/fixtures.js';
import { createToken } from '../tokens/helpers.js';
import { STREAM_TEST_ENV, streamSocketsOf } from './stream-reader.js';

/** The newest event of the workspace: a stream started after it misses nothing made later. */
async function newestEventId(t: TestApp, token: string, workspaceId: string): Promise<string> {
  return ok(await t.request('GET', `/api/v1/workspaces/${workspaceId}/events?limit=1`, { token })).items[0].id;
}

/** Reads events from an iterator until one about `resourceId` arrives. */
async function readUntil(events: AsyncIterator<Event>, resourceId: string, into: Event[]): Promise<void> {
  for (;;) {
    const next = await events.next();
    if (next.done) throw new Error(`the stream ended before an event about ${resourceId}`);
    into.push(next.value);
    if (next.value.resourceId === resourceId) return;
  }
}

describeEachDialect(
  'client.events.stream',
  (app) => {
    // fetch (undici) opens a spare connection when a stream is aborted; it would hold the server's close open.
    afterAll(() => app().app.server.closeAllConnections());

    it('yields typed events as they happen, and reconnects after a dropped connection without gaps or repeats', async () => {
      const { owner, workspace, project } = await ownProject(app());
      const streamSockets = streamSocketsOf(app().app.server, workspace.id);
      const tg = new Taskgate({ baseUrl: app().url, token: owner.token });
      const abort = new AbortController();
      const stream = tg.events.stream(workspace.id, { after: await newestEventId(app(), owner.token, workspace.id), signal: abort.signal });
      const events = stream[Symbol.asyncIterator]();
      const received: Event[] = [];
      try {
        const a = await createTask(app(), owner, project.id, { title: 'A' });
        await readUntil(events, a.id, received);
        expect(received.at(-1)).toMatchObject({ type: 'task.created', resourceId: a.id });
        expect(stream.lastEventId).toMatch(/\S/);

        // The stream's connection is cut, as a proxy restart would: the client reconnects from the last id it saw.
        for (const socket of streamSockets.sockets) socket.destroy();
        const b = await createTask(app(), owner, project.id, { title: 'B' });
        await readUntil(events, b.id, received);
        expect(received.filter((e) => e.type === 'task.created').map((e) => e.resourceId)).toEqual([a.id, b.id]);
        expect(new Set(received.map((e) => e.id)).size).toBe(received.length);
        expect(streamSockets.sockets.length).toBe(2);
      } finally {
        abort.abort();
        streamSockets.stop();
      }
      expect(await events.next()).toEqual({ done: true, value: undefined });
    });

    it('ends when the server ends the stream, saying why', async () => {
      const { owner, workspace, project } = await ownProject(app());
      const token = await createToken(app(), owner);
      const tg = new Taskgate({ baseUrl: app().url, token: token.token });
      const stream = tg.events.stream(workspace.id, {
        after: await newestEventId(app(), owner.token, workspace.id),
        projectId: project.id,
      });
      const events = stream[Symbol.asyncIterator]();
      const task = await createTask(app(), owner, project.id);
      await readUntil(events, task.id, []);
      expect((await app().request('DELETE', `/api/v1/tokens/${token.id}`, { token: owner.token })).status).toBe(204);
      expect(await events.next()).toEqual({ done: true, value: undefined });
      expect(stream.endReason).toMatchObject({ code: expect.stringMatching(/^(TOKEN_REVOKED|INVALID_TOKEN)$/) });
    });

    it('throws TaskgateError when the stream is refused', async () => {
      const { workspace } = await ownProject(app());
      const outsider = await createUser(app());
      const tg = new Taskgate({ baseUrl: app().url, token: outsider.token });
      const failure = await (async () => {
        for await (const _ of tg.events.stream(workspace.id)) return null;
        return null;
      })().catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(TaskgateError);
      expect(failure).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    });
  },
  STREAM_TEST_ENV,
);
