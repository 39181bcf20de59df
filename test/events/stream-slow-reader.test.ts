import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import { expect, it } from 'vitest';
import { recordEvent } from '../../src/events/events.service.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';
import { ownProject } from '../tasks/fixtures.js';
import { openStream, STREAM_TEST_ENV, streamPath } from './stream-reader.js';

/** Opens a stream on a raw socket that never reads what it is sent: a reader that stalls. */
function stalledStream(t: TestApp, workspaceId: string, token: string): net.Socket {
  const { hostname, port } = new URL(t.url);
  const socket = net.connect(Number(port), hostname);
  // No 'data' listener: the socket stays paused, so the server's writes pile up behind TCP's window.
  socket.write(
    `GET ${streamPath(workspaceId)} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n` +
      `Authorization: Bearer ${token}\r\nAccept: text/event-stream\r\n\r\n`,
  );
  socket.on('error', () => undefined);
  return socket;
}

describeEachDialect(
  'a stream whose reader stalls',
  (app) => {
    it('is cut, socket and all, before its slot goes to another stream', async () => {
      const { owner, workspace, project } = await ownProject(app());
      const serverSockets: net.Socket[] = [];
      const onRequest = (req: IncomingMessage) => {
        if (req.url?.startsWith(`/api/v1/workspaces/${workspace.id}/events/stream`)) serverSockets.push(req.socket);
      };
      app().app.server.on('request', onRequest);
      // STREAM_TEST_ENV allows two streams per credential.
      const stalled = [stalledStream(app(), workspace.id, owner.token), stalledStream(app(), workspace.id, owner.token)];
      try {
        await expect.poll(() => serverSockets.length, { timeout: 30_000 }).toBe(2);
        const refused = await openStream(app().url, workspace.id, { token: owner.token });
        expect(refused.status).toBe(429);

        // Events far larger than the socket buffers, until the server lets a third stream in.
        const payload = { blob: 'x'.repeat(100_000) };
        for (let round = 0; ; round++) {
          expect(round).toBeLessThan(200);
          for (let i = 0; i < 10; i++) {
            await recordEvent(app().ctx.db, {
              workspaceId: workspace.id,
              type: 'task.updated',
              actor: { type: 'user', id: owner.id },
              resourceType: 'task',
              resourceId: `tsk_bulk_${round}_${i}`,
              projectId: project.id,
              data: payload,
            });
          }
          const third = await openStream(app().url, workspace.id, { token: owner.token });
          third.close();
          if (third.status === 200) break;
          expect(third.status).toBe(429);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        // The slots came back only with the stalled streams' sockets, their backlogs with them.
        expect(serverSockets.slice(0, 2).map((socket) => socket.destroyed)).toEqual([true, true]);
      } finally {
        for (const socket of stalled) socket.destroy();
        app().app.server.off('request', onRequest);
      }
    });
  },
  STREAM_TEST_ENV,
);
