import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from '../helpers/cleanups.js';
import { enabledDialects } from '../helpers/harness.js';
import { waitForValue } from '../helpers/wait.js';
import { remoteOwner, type Requester } from '../tokens/remote.js';
import { serversPerSuite, type Remote } from './servers.js';
import { connectingProcess } from './socket-owner.js';

const CHANGES = 60;

const cleanups = cleanupsAfterEach('taskgate-cluster-hooks-');

interface Heard {
  messageId: string;
  /** The server process that sent it (null: not found, the connection already gone). */
  pid: number | null;
}

/** A webhook endpoint on 127.0.0.1 that notes each delivery's webhook-id and which process sent it; answers 200 a little late. */
async function countingReceiver(pids: readonly number[]) {
  const heard: Heard[] = [];
  const senders = new WeakMap<Socket, number | null>();
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      heard.push({ messageId: String(req.headers['webhook-id']), pid: senders.get(req.socket) ?? null });
      // A little late, so that deliveries overlap and both processes claim while the other sends.
      setTimeout(() => res.end('ok'), 15);
    });
  });
  // Looked up as the connection opens, while the sender still holds its end.
  server.on('connection', (socket: Socket) => senders.set(socket, connectingProcess(socket, pids)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, heard };
}

async function ok(api: Requester, method: string, path: string, token: string, body?: unknown) {
  const res = await api.request(method, path, { token, body });
  expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300);
  return res.body;
}

for (const dialect of enabledDialects()) {
  describe(`webhook delivery by two server processes on one database [${dialect}]`, () => {
    const servers = serversPerSuite(dialect, 2, {
      TASKGATE_WEBHOOK_POLL: '50ms',
      // Long enough that no attempt times out on a busy machine: every delivery has exactly one attempt.
      TASKGATE_WEBHOOK_TIMEOUT: '10s',
      TASKGATE_WEBHOOK_RETRY_SCHEDULE: '50ms,100ms',
    });

    interface RecordedDelivery {
      status: string;
      messageId: string;
      attempts: number;
    }
    it(`send each of ${CHANGES} deliveries exactly once although both processes deliver`, async () => {
      const [first, second] = servers() as [Remote, Remote];
      const pids = [first.server.child.pid ?? 0, second.server.child.pid ?? 0];
      const receiver = await countingReceiver(pids);
      const owner = await remoteOwner(first);
      const workspaceId: string = (await ok(first, 'GET', '/api/v1/workspaces', owner.session)).items[0].id;
      const webhook = await ok(first, 'POST', `/api/v1/workspaces/${workspaceId}/webhooks`, owner.session, {
        url: receiver.url,
        events: ['member.role_changed'],
      });
      const member = await remoteOwner(first);
      const { email } = await ok(first, 'GET', '/api/v1/me', member.session);
      const invitation = await ok(first, 'POST', `/api/v1/workspaces/${workspaceId}/invitations`, owner.session, { email, role: 'viewer' });
      await ok(first, 'POST', `/api/v1/invitations/${invitation.id}/accept`, member.session);

      // Each change is made through one process or the other, so each wakes its own dispatcher too.
      for (let i = 0; i < CHANGES; i++) {
        const role = i % 2 === 0 ? 'team_member' : 'viewer';
        await ok(i % 2 === 0 ? first : second, 'PATCH', `/api/v1/workspaces/${workspaceId}/members/${member.userId}`, owner.session, {
          role,
        });
      }
      const events = await ok(first, 'GET', `/api/v1/workspaces/${workspaceId}/events?type=member.role_changed&limit=200`, owner.session);
      const expected = new Set((events.items as Array<{ id: string }>).map((e) => e.id));
      expect(expected.size).toBe(CHANGES);

      await waitForValue(
        'every event heard',
        () => new Set(receiver.heard.map((h) => h.messageId)).size,
        (size) => size >= CHANGES,
        { timeoutMs: 60_000, intervalMs: 50 },
      );
      const deliveries = await waitForValue(
        'every delivery recorded as succeeded',
        async () =>
          (await ok(first, 'GET', `/api/v1/webhooks/${webhook.id}/deliveries?limit=200`, owner.session)).items as RecordedDelivery[],
        (items) => items.length === CHANGES && items.every((d) => d.status === 'succeeded'),
        { timeoutMs: 60_000, intervalMs: 100 },
      );
      // SIGTERM lets each process finish what it has in flight: a twin sent by either is heard by now.
      for (const { server } of [first, second]) expect(await server.stop('SIGTERM')).toBe(0);

      const ids = receiver.heard.map((h) => h.messageId);
      expect(
        ids.filter((id, i) => ids.indexOf(id) !== i),
        'webhook-ids heard more than once',
      ).toEqual([]);
      expect(new Set(ids)).toEqual(new Set(deliveries.map((d) => d.messageId)));
      expect(deliveries.map((d) => d.attempts)).toEqual(Array(CHANGES).fill(1));
      // Both processes sent deliveries: the claims were contested, not left to one of them.
      const byProcess = new Map(pids.map((pid) => [pid, receiver.heard.filter((h) => h.pid === pid).length]));
      expect(
        receiver.heard.filter((h) => h.pid === null),
        'deliveries whose sender was not found',
      ).toEqual([]);
      for (const [, sent] of byProcess) expect(sent, JSON.stringify([...byProcess])).toBeGreaterThan(0);
    }, 180_000);
  });
}
