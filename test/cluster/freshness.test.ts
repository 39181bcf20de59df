import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { enabledDialects } from '../helpers/harness.js';
import { createToken } from '../tokens/helpers.js';
import { remoteOwner, type Requester } from '../tokens/remote.js';
import { serversPerSuite, type Remote } from './servers.js';

const ADMIN = { email: 'cluster-admin@example.test', password: `pw-${randomBytes(8).toString('hex')}` };

/** An owner with a pro workspace, a task in it, the owner's personal token and a workspace token. */
async function tenant(api: Requester) {
  const owner = await remoteOwner(api);
  const workspaceId: string = (await api.request('GET', '/api/v1/workspaces', { token: owner.session })).body.items[0].id;
  const space = await api.request('POST', `/api/v1/workspaces/${workspaceId}/spaces`, { token: owner.session, body: { name: 'S' } });
  const project = await api.request('POST', '/api/v1/projects', { token: owner.session, body: { spaceId: space.body.id, name: 'P' } });
  const task = await api.request('POST', '/api/v1/tasks', { token: owner.session, body: { projectId: project.body.id, title: 'T' } });
  expect(task.status, task.text).toBe(201);
  const personal = await createToken(api, { token: owner.session });
  const workspaceToken = await api.request('POST', `/api/v1/workspaces/${workspaceId}/access-tokens`, {
    token: owner.session,
    body: { label: 'cluster', scope: 'team_member' },
  });
  expect(workspaceToken.status, workspaceToken.text).toBe(201);
  return {
    owner,
    workspaceId,
    taskId: task.body.id as string,
    personal,
    workspaceToken: { id: workspaceToken.body.id as string, token: workspaceToken.body.token as string },
  };
}

/** A request the other process answers twice first, so that whatever it may keep of the caller, it keeps. */
async function warm(api: Requester, method: string, path: string, token: string, body?: unknown): Promise<void> {
  for (let i = 0; i < 2; i++) {
    const res = await api.request(method, path, { token, body });
    expect(res.status, `${method} ${path}: ${res.text}`).toBe(200);
  }
}

for (const dialect of enabledDialects()) {
  describe(`two server processes on one database, without Redis [${dialect}]`, () => {
    const servers = serversPerSuite(dialect, 2, { TASKGATE_ADMIN_EMAIL: ADMIN.email, TASKGATE_ADMIN_PASSWORD: ADMIN.password });

    it('refuse a token revoked or deleted through one process on the very next request to the other', async () => {
      const [first, second] = servers() as [Remote, Remote];
      const t = await tenant(first);
      await warm(second, 'GET', '/api/v1/me', t.personal.token);
      await warm(second, 'GET', `/api/v1/tasks/${t.taskId}`, t.workspaceToken.token);

      expect((await first.request('DELETE', `/api/v1/tokens/${t.personal.id}`, { token: t.owner.session })).status).toBe(204);
      expect((await second.request('GET', '/api/v1/me', { token: t.personal.token })).body.code).toBe('TOKEN_REVOKED');

      // A workspace token is deleted, not kept revoked: the other process no longer knows it at all.
      const deleted = await first.request('DELETE', `/api/v1/workspaces/${t.workspaceId}/access-tokens/${t.workspaceToken.id}`, {
        token: t.owner.session,
      });
      expect(deleted.status, deleted.text).toBe(204);
      const refused = await second.request('GET', `/api/v1/tasks/${t.taskId}`, { token: t.workspaceToken.token });
      expect(refused.status, refused.text).toBe(401);
      expect(refused.body.code).toBe('INVALID_TOKEN');
    });

    it('refuse what a member demoted through one process may no longer do on the very next request to the other', async () => {
      const [first, second] = servers() as [Remote, Remote];
      const t = await tenant(first);
      const member = await remoteOwner(first);
      const memberEmail = (await first.request('GET', '/api/v1/me', { token: member.session })).body.email;
      const invitation = await first.request('POST', `/api/v1/workspaces/${t.workspaceId}/invitations`, {
        token: t.owner.session,
        body: { email: memberEmail, role: 'team_member' },
      });
      expect((await first.request('POST', `/api/v1/invitations/${invitation.body.id}/accept`, { token: member.session })).status).toBe(200);
      const memberToken = await createToken(first, { token: member.session });
      const edit = (token: string) => second.request('PATCH', `/api/v1/tasks/${t.taskId}`, { token, body: { title: `E ${Date.now()}` } });
      for (const token of [memberToken.token, member.session]) {
        expect((await edit(token)).status).toBe(200);
        expect((await edit(token)).status).toBe(200);
      }

      const demoted = await first.request('PATCH', `/api/v1/workspaces/${t.workspaceId}/members/${member.userId}`, {
        token: t.owner.session,
        body: { role: 'viewer' },
      });
      expect(demoted.status, demoted.text).toBe(200);
      expect((await edit(memberToken.token)).body.code).toBe('PERMISSION_DENIED');
      expect((await edit(member.session)).body.code).toBe('PERMISSION_DENIED');
      // Reading is still theirs: the refusal is the demotion, not a lost membership.
      expect((await second.request('GET', `/api/v1/tasks/${t.taskId}`, { token: memberToken.token })).status).toBe(200);
    });

    it('refuse tokens in a workspace downgraded through one process on the very next request to the other', async () => {
      const [first, second] = servers() as [Remote, Remote];
      const t = await tenant(first);
      await warm(second, 'GET', `/api/v1/tasks/${t.taskId}`, t.personal.token);
      await warm(second, 'GET', `/api/v1/tasks/${t.taskId}`, t.workspaceToken.token);

      const admin = (await first.request('POST', '/api/v1/auth/login', { body: ADMIN })).body.sessionToken as string;
      const downgraded = await first.request('PATCH', `/api/v1/workspaces/${t.workspaceId}`, { token: admin, body: { plan: 'free' } });
      expect(downgraded.status, downgraded.text).toBe(200);
      for (const token of [t.personal.token, t.workspaceToken.token]) {
        const refused = await second.request('GET', `/api/v1/tasks/${t.taskId}`, { token });
        expect(refused.status, refused.text).toBe(403);
        expect(refused.body).toMatchObject({ code: 'PLAN_UPGRADE_REQUIRED', refusedBy: 'plan' });
      }
      // The owner's session is no token: the free plan still lets it in.
      expect((await second.request('GET', `/api/v1/tasks/${t.taskId}`, { token: t.owner.session })).status).toBe(200);
    });
  });
}
