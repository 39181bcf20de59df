import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { dialectEnv, enabledDialects } from '../helpers/harness.js';
import { dropSchema, freshSchemaName } from '../helpers/postgres.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { Receiver } from './receiver.js';

const BURST = 200;
/** Deliveries answered before the receiver stops answering and the server is killed. */
const ANSWERED_BEFORE_KILL = 50;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function call(server: ServerProcess, method: string, route: string, token?: string, body?: unknown) {
  const res = await fetch(server.url + route, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const parsed = text ? JSON.parse(text) : null;
  if (res.status >= 300) throw new Error(`${method} ${route} → ${res.status} ${text}`);
  return parsed;
}

async function signUp(server: ServerProcess) {
  const email = `crash-${randomBytes(6).toString('hex')}@example.test`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const { user } = await call(server, 'POST', '/api/v1/auth/register', undefined, { email, password, name: 'Crash' });
  const { sessionToken } = await call(server, 'POST', '/api/v1/auth/login', undefined, { email, password });
  return { id: user.id as string, email, token: sessionToken as string };
}

/** Every event id of the workspace but its creation (which happened before the webhook existed). */
async function expectedEventIds(server: ServerProcess, token: string, workspaceId: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let cursor: string | null = null;
  do {
    const page: { items: { id: string; type: string }[]; nextCursor: string | null } = await call(server, 'GET', `/api/v1/workspaces/${workspaceId}/events?limit=200${cursor ? `&cursor=${cursor}` : ''}`, token);
    for (const event of page.items) if (event.type !== 'workspace.created') ids.add(event.id);
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

describe('webhook delivery across a kill -9', () => {
  for (const dialect of enabledDialects()) {
    it(`[${dialect}] delivers every event of a burst of ${BURST} although the server was killed mid-way`, async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-crash-'));
      const schema = freshSchemaName();
      cleanups.push(async () => {
        if (dialect === 'postgres') await dropSchema(schema);
        fs.rmSync(dataDir, { recursive: true, force: true });
      });
      const env = {
        ...dialectEnv(dialect, dataDir, schema),
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
        await call(server, 'POST', `/api/v1/workspaces/${workspace.id}/members`, owner.token, { email: member.email, role: 'viewer' });
        members.push(member);
      }
      for (let i = 0; members.length + i < BURST; i++) {
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
      await receiver.waitFor((requests) => {
        const seen = new Set(requests.map((r) => r.headers['webhook-id']));
        return [...expected].every((id) => seen.has(id));
      }, 30_000);
      const received = new Set(receiver.requests.map((r) => r.headers['webhook-id']));
      expect([...received].filter((id) => id === undefined || !expected.has(id))).toEqual([]);
    }, 90_000);
  }
});
