import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from '../helpers/cleanups.js';
import { uniqueEmail } from '../helpers/factories.js';
import { enabledDialects } from '../helpers/harness.js';
import { waitForValue } from '../helpers/wait.js';
import { createToken } from '../tokens/helpers.js';
import type { Requester } from '../tokens/remote.js';
import { Receiver } from '../webhooks/receiver.js';
import { serversPerSuite, type Remote } from './servers.js';

/**
 * Whatever a process keeps of what it read (ADR 0001's read cache on SQLite, any cache on PostgreSQL),
 * a change made through another process, or through this one by a statement that returns rows, is
 * seen on the very next read.
 */

const cleanups = cleanupsAfterEach('taskgate-cluster-cache-');

/** A user signed in `sessions` times (each sign-in is a session of its own) who owns a pro workspace. */
async function userWithSessions(api: Requester, sessions: number) {
  const email = uniqueEmail('cache');
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const registered = await api.request('POST', '/api/v1/auth/register', { body: { email, password, name: 'Cache' } });
  expect(registered.status, registered.text).toBe(201);
  const tokens: string[] = [];
  for (let i = 0; i < sessions; i++) {
    const login = await api.request('POST', '/api/v1/auth/login', { body: { email, password } });
    expect(login.status, login.text).toBe(200);
    tokens.push(login.body.sessionToken);
  }
  const workspace = await api.request('POST', '/api/v1/workspaces', { token: tokens[0], body: { name: 'Cache' } });
  expect(workspace.status, workspace.text).toBe(201);
  return { userId: registered.body.user.id as string, name: 'Cache', sessions: tokens, workspaceId: workspace.body.id as string };
}

async function sessionIdOf(api: Requester, session: string): Promise<string> {
  const res = await api.request('GET', '/api/v1/sessions', { token: session });
  expect(res.status, res.text).toBe(200);
  return (res.body.items as Array<{ id: string; current: boolean }>).find((s) => s.current)?.id ?? '';
}

/** Two reads, so that whatever the process keeps of this answer and its caller, it keeps. */
async function readTwice(api: Requester, path: string, token: string): Promise<any> {
  await api.request('GET', path, { token });
  const res = await api.request('GET', path, { token });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

for (const dialect of enabledDialects()) {
  describe(`reads across two server processes on one database [${dialect}]`, () => {
    const servers = serversPerSuite(dialect, 2, { TASKGATE_WEBHOOK_POLL: '50ms', TASKGATE_WEBHOOK_TIMEOUT: '10s' });

    it('see a task edited, assigned and relabelled through one process on the very next read through the other', async () => {
      const [first, second] = servers() as [Remote, Remote];
      const user = await userWithSessions(first, 1);
      const [session] = user.sessions as [string];
      const space = await first.request('POST', `/api/v1/workspaces/${user.workspaceId}/spaces`, { token: session, body: { name: 'S' } });
      const project = await first.request('POST', '/api/v1/projects', { token: session, body: { spaceId: space.body.id, name: 'P' } });
      const task = await first.request('POST', '/api/v1/tasks', { token: session, body: { projectId: project.body.id, title: 'Before' } });
      const label = await first.request('POST', `/api/v1/workspaces/${user.workspaceId}/labels`, { token: session, body: { name: 'Bug' } });
      expect(label.status, label.text).toBe(201);
      expect(
        (await first.request('POST', `/api/v1/tasks/${task.body.id}/labels`, { token: session, body: { labelId: label.body.id } })).status,
      ).toBe(200);
      const { token } = await createToken(first, { token: session });
      const path = `/api/v1/tasks/${task.body.id}`;
      for (const caller of [token, session]) {
        expect(await readTwice(second, path, caller)).toMatchObject({ title: 'Before', assignees: [], labels: [{ name: 'Bug' }] });
      }

      expect((await first.request('PATCH', path, { token: session, body: { title: 'After' } })).status).toBe(200);
      expect((await second.request('GET', path, { token })).body).toMatchObject({ title: 'After' });
      expect((await second.request('GET', path, { token: session })).body).toMatchObject({ title: 'After' });

      const assigned = await first.request('POST', `${path}/assignees`, { token: session, body: { userId: user.userId } });
      expect(assigned.status, assigned.text).toBe(200);
      expect((await second.request('GET', path, { token })).body.assignees).toMatchObject([{ type: 'user', id: user.userId }]);

      expect((await first.request('PATCH', `/api/v1/labels/${label.body.id}`, { token: session, body: { name: 'Defect' } })).status).toBe(
        200,
      );
      expect((await second.request('GET', path, { token })).body.labels).toMatchObject([{ name: 'Defect' }]);
    });

    it('refuse sessions ended by a statement returning rows (DELETE … RETURNING), in the process that ran it and the other', async () => {
      const [first, second] = servers() as [Remote, Remote];
      const user = await userWithSessions(first, 4);
      const [keeper, endedHere, endedElsewhere, endedWithOthers] = user.sessions as [string, string, string, string];
      await readTwice(first, '/api/v1/me', endedHere);
      await readTwice(second, '/api/v1/me', endedElsewhere);
      await readTwice(first, '/api/v1/me', endedWithOthers);
      await readTwice(second, '/api/v1/me', endedWithOthers);

      // DELETE /sessions/{id} ends a session with DELETE … RETURNING: the very process that ran it must
      // count it as a write, and the other must see it.
      for (const ended of [endedHere, endedElsewhere]) {
        const id = await sessionIdOf(first, ended);
        expect((await first.request('DELETE', `/api/v1/sessions/${id}`, { token: keeper })).status).toBe(204);
      }
      expect((await first.request('GET', '/api/v1/me', { token: endedHere })).status).toBe(401);
      expect((await second.request('GET', '/api/v1/me', { token: endedElsewhere })).status).toBe(401);

      // Ending every other session (one DELETE … RETURNING of several rows) through the second process.
      const others = await second.request('POST', '/api/v1/sessions/revoke-others', { token: keeper });
      expect(others.status, others.text).toBe(200);
      expect((await second.request('GET', '/api/v1/me', { token: endedWithOthers })).status).toBe(401);
      expect((await first.request('GET', '/api/v1/me', { token: endedWithOthers })).status).toBe(401);
      for (const api of [first, second]) expect((await api.request('GET', '/api/v1/me', { token: keeper })).status).toBe(200);
    });

    it('see an endpoint disabled by a statement returning rows (UPDATE … RETURNING) through either process', async () => {
      const [first, second] = servers() as [Remote, Remote];
      const user = await userWithSessions(first, 1);
      const [session] = user.sessions as [string];
      const receiver = await Receiver.start();
      cleanups.push(() => receiver.close());
      receiver.respond(() => ({ status: 410 }));
      const created = await first.request('POST', `/api/v1/workspaces/${user.workspaceId}/webhooks`, {
        token: session,
        body: { url: receiver.url, events: ['task.created'] },
      });
      expect(created.status, created.text).toBe(201);
      const path = `/api/v1/webhooks/${created.body.id}`;
      for (const api of [first, second]) expect(await readTwice(api, path, session)).toMatchObject({ enabled: true });

      // The ping is answered 410 Gone: whichever process sent it disables the endpoint with UPDATE … RETURNING.
      expect((await first.request('POST', `${path}/test`, { token: session })).status).toBeLessThan(300);
      await receiver.nth(0, 30_000);
      const disabled = (body: any) => body.enabled === false && /410/.test(body.disabledReason ?? '');
      // Once one process reads it disabled, so does the other on its very next read: the writer's own read
      // and the other's are both covered, whichever process the writer was.
      await waitForValue('the endpoint disabled', async () => (await first.request('GET', path, { token: session })).body, disabled, {
        timeoutMs: 30_000,
        intervalMs: 50,
      });
      expect((await second.request('GET', path, { token: session })).body).toMatchObject({ enabled: false });
    });

    it('see a member removed through one process answered as a stranger on the very next read through the other', async () => {
      const [first, second] = servers() as [Remote, Remote];
      const owner = await userWithSessions(first, 1);
      const member = await userWithSessions(first, 1);
      const [ownerSession] = owner.sessions as [string];
      const [memberSession] = member.sessions as [string];
      const memberEmail = (await first.request('GET', '/api/v1/me', { token: memberSession })).body.email;
      const invitation = await first.request('POST', `/api/v1/workspaces/${owner.workspaceId}/invitations`, {
        token: ownerSession,
        body: { email: memberEmail, role: 'viewer' },
      });
      expect((await first.request('POST', `/api/v1/invitations/${invitation.body.id}/accept`, { token: memberSession })).status).toBe(200);
      const path = `/api/v1/workspaces/${owner.workspaceId}`;
      await readTwice(second, path, memberSession);

      const removed = await first.request('DELETE', `${path}/members/${member.userId}`, { token: ownerSession });
      expect(removed.status, removed.text).toBe(204);
      expect((await second.request('GET', path, { token: memberSession })).status).toBe(404);
    });
  });
}
