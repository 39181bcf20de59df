import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DialectName } from '../../src/db/database.js';
import { dialectEnv, enabledDialects } from '../helpers/harness.js';
import { dropSchema, freshSchemaName } from '../helpers/postgres.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { Receiver } from './receiver.js';
import { call, signUp, storedEvents } from './server-calls.js';

const BURST = 200;
/** Deliveries answered before the receiver stops answering and the server is killed. */
const ANSWERED_BEFORE_KILL = 50;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Every event id of the workspace but its creation (which happened before the webhook existed). */
async function expectedEventIds(server: ServerProcess, token: string, workspaceId: string): Promise<Set<string>> {
  const events = await storedEvents(server, token, workspaceId);
  return new Set(events.filter((e) => e.type !== 'workspace.created').map((e) => e.id));
}

/** Waits until the receiver has seen every expected event (by webhook-id), and nothing else. */
async function expectEveryEventDelivered(receiver: Receiver, expected: Set<string>): Promise<void> {
  await receiver.waitFor((requests) => {
    const seen = new Set(requests.map((r) => r.headers['webhook-id']));
    return [...expected].every((id) => seen.has(id));
  }, 30_000);
  const received = new Set(receiver.requests.map((r) => r.headers['webhook-id']));
  expect([...received].filter((id) => id === undefined || !expected.has(id))).toEqual([]);
}

/** A fresh data folder and database for the servers of one test (removed after it). */
function freshStorage(dialect: DialectName): Record<string, string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-crash-'));
  const schema = freshSchemaName();
  cleanups.push(async () => {
    if (dialect === 'postgres') await dropSchema(schema);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return dialectEnv(dialect, dataDir, schema);
}

describe('webhook delivery across a kill -9', () => {
  for (const dialect of enabledDialects()) {
    it(`[${dialect}] delivers every event of a burst of ${BURST} although the server was killed mid-delivery`, async () => {
      const env = {
        ...freshStorage(dialect),
        TASKGATE_WEBHOOK_POLL: '50ms',
        TASKGATE_WEBHOOK_TIMEOUT: '1s',
        // Long enough that nothing fails for good while the receiver is stalled.
        TASKGATE_WEBHOOK_RETRY_SCHEDULE: Array(20).fill('200ms').join(','),
      };
      const receiver = await Receiver.start();
      cleanups.push(() => receiver.close());
      // Answers the first deliveries, then stalls: the rest are in flight or queued when the kill comes.
      receiver.respond((_req, index) => (index < ANSWERED_BEFORE_KILL ? { status: 200, delayMs: 5 } : { status: 200, hang: true }));

      let server = await startServerProcess(env);
      cleanups.push(async () => void (await server.stop('SIGKILL')));
      const owner = await signUp(server);
      const workspace = await call(server, 'POST', '/api/v1/workspaces', owner.token, { name: 'Crash test' });
      await call(server, 'POST', `/api/v1/workspaces/${workspace.id}/webhooks`, owner.token, { url: receiver.url, events: ['*'] });

      const members = [];
      for (let i = 0; i < 10; i++) {
        const member = await signUp(server);
        const invitation = await call(server, 'POST', `/api/v1/workspaces/${workspace.id}/invitations`, owner.token, {
          email: member.email,
          role: 'viewer',
        });
        await call(server, 'POST', `/api/v1/invitations/${invitation.id}/accept`, member.token);
        members.push(member);
      }
      // Each member came with two events (member.invited, member.added).
      for (let i = 0; 2 * members.length + i < BURST; i++) {
        const member = members[i % members.length];
        const role = Math.floor(i / members.length) % 2 === 0 ? 'team_member' : 'viewer';
        await call(server, 'PATCH', `/api/v1/workspaces/${workspace.id}/members/${member?.id}`, owner.token, { role });
      }
      await receiver.waitFor((r) => r.length > ANSWERED_BEFORE_KILL, 20_000);

      server.child.kill('SIGKILL');
      await server.exited;
      // Killed mid-way: only ANSWERED_BEFORE_KILL deliveries were acknowledged, and more were on the wire.
      expect(new Set(receiver.requests.map((r) => r.headers['webhook-id'])).size).toBeGreaterThan(ANSWERED_BEFORE_KILL);

      receiver.respond(() => ({ status: 200 }));
      server = await startServerProcess(env);
      const expected = await expectedEventIds(server, owner.token, workspace.id);
      expect(expected.size).toBe(BURST);
      await expectEveryEventDelivered(receiver, expected);
    }, 90_000);

    it(`[${dialect}] delivers every committed event although the server was killed during a burst of ${BURST} changes`, async () => {
      const storage = freshStorage(dialect);
      const receiver = await Receiver.start();
      cleanups.push(() => receiver.close());
      // Fan-out polls slowly: when the kill comes, most committed events have no delivery yet.
      let server = await startServerProcess({ ...storage, TASKGATE_WEBHOOK_POLL: '2s', TASKGATE_WEBHOOK_TIMEOUT: '1s' });
      cleanups.push(async () => void (await server.stop('SIGKILL')));
      const owner = await signUp(server);
      const workspace = await call(server, 'POST', '/api/v1/workspaces', owner.token, { name: 'Crash test' });
      await call(server, 'POST', `/api/v1/workspaces/${workspace.id}/webhooks`, owner.token, { url: receiver.url, events: ['*'] });

      // Every change at once; the server dies once about half of them have answered.
      const killed = server;
      const answered: string[] = [];
      await Promise.allSettled(
        Array.from({ length: BURST }, async (_, i) => {
          const space = await call(killed, 'POST', `/api/v1/workspaces/${workspace.id}/spaces`, owner.token, { name: `Space ${i}` });
          answered.push(space.id as string);
          if (answered.length === BURST / 2) killed.child.kill('SIGKILL');
        }),
      );
      await killed.exited;
      const heardBeforeKill = new Set(receiver.requests.map((r) => r.headers['webhook-id'])).size;
      expect(answered.length).toBeGreaterThanOrEqual(BURST / 2);
      expect(answered.length).toBeLessThan(BURST);
      expect(heardBeforeKill).toBeLessThan(answered.length);

      server = await startServerProcess({ ...storage, TASKGATE_WEBHOOK_POLL: '50ms', TASKGATE_WEBHOOK_TIMEOUT: '1s' });
      const events = (await storedEvents(server, owner.token, workspace.id)).filter((e) => e.type !== 'workspace.created');
      // Each change that answered 2xx committed its event; some that never answered may have committed too.
      const createdSpaces = new Set(events.filter((e) => e.type === 'space.created').map((e) => e.resourceId));
      expect(answered.filter((id) => !createdSpaces.has(id))).toEqual([]);
      const expected = new Set(events.map((e) => e.id));
      await expectEveryEventDelivered(receiver, expected);
    }, 90_000);
  }
});
