import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dialectEnv, enabledDialects } from '../helpers/harness.js';
import { dropSchema, freshSchemaName } from '../helpers/postgres.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { createToken } from '../tokens/helpers.js';
import { remote, remoteOwner, type Requester } from '../tokens/remote.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

for (const dialect of enabledDialects()) {
  describe.skipIf(!inject('redisAvailable'))(`two server processes on one database and one Redis [${dialect}]`, () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-shared-'));
    const schema = freshSchemaName();
    const servers: ServerProcess[] = [];
    let first: Requester;
    let second: Requester;

    beforeAll(async () => {
      const env = { ...dialectEnv(dialect, dataDir, schema), REDIS_URL };
      // One after the other: the first one migrates the shared database.
      servers.push(await startServerProcess(env));
      servers.push(await startServerProcess(env));
      first = remote(servers[0]?.url ?? '');
      second = remote(servers[1]?.url ?? '');
    });
    afterAll(async () => {
      await Promise.all(servers.map((server) => server.stop('SIGKILL')));
      if (dialect === 'postgres') await dropSchema(schema);
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('enforce one shared limit per token: 6 + 6 requests at a limit of 10 → exactly 10 succeed', async () => {
      const { session } = await remoteOwner(first);
      const { token } = await createToken(first, { token: session }, { rateLimitPerMinute: 10 });
      const sends = [first, second].flatMap((server) => Array.from({ length: 6 }, () => server.request('GET', '/api/v1/me', { token })));
      const results = await Promise.all(sends);
      const statuses = results.map((res) => res.status).sort();
      expect(statuses.filter((s) => s === 200)).toHaveLength(10);
      expect(statuses.filter((s) => s === 429)).toHaveLength(2);
      for (const refused of results.filter((res) => res.status === 429)) {
        expect(refused.body.code).toBe('RATE_LIMITED');
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    });

    it('see revocation and rotation made through the other process on the very next request', async () => {
      const { session } = await remoteOwner(first);
      const revoked = await createToken(first, { token: session });
      const rotated = await createToken(first, { token: session });
      expect((await second.request('GET', '/api/v1/me', { token: revoked.token })).status).toBe(200);
      expect((await second.request('GET', '/api/v1/me', { token: rotated.token })).status).toBe(200);

      expect((await first.request('DELETE', `/api/v1/tokens/${revoked.id}`, { token: session })).status).toBe(204);
      const renewed = await first.request('POST', `/api/v1/tokens/${rotated.id}/rotate`, { token: session });
      expect((await second.request('GET', '/api/v1/me', { token: revoked.token })).body.code).toBe('TOKEN_REVOKED');
      expect((await second.request('GET', '/api/v1/me', { token: rotated.token })).body.code).toBe('TOKEN_EXPIRED');
      expect((await second.request('GET', '/api/v1/me', { token: renewed.body.token })).status).toBe(200);
    });

    it("see a task's edit and its label's rename made through the other process on the very next read", async () => {
      const { session } = await remoteOwner(first);
      const { body: workspaces } = await first.request('GET', '/api/v1/workspaces', { token: session });
      const workspaceId: string = workspaces.items[0].id;
      const space = await first.request('POST', `/api/v1/workspaces/${workspaceId}/spaces`, { token: session, body: { name: 'Shared' } });
      const project = await first.request('POST', '/api/v1/projects', { token: session, body: { spaceId: space.body.id, name: 'Shared' } });
      const task = await first.request('POST', '/api/v1/tasks', { token: session, body: { projectId: project.body.id, title: 'Before' } });
      const label = await first.request('POST', `/api/v1/workspaces/${workspaceId}/labels`, { token: session, body: { name: 'Bug' } });
      expect(
        (await first.request('POST', `/api/v1/tasks/${task.body.id}/labels`, { token: session, body: { labelId: label.body.id } })).status,
      ).toBe(200);
      const { token } = await createToken(first, { token: session });
      const read = async () => (await second.request('GET', `/api/v1/tasks/${task.body.id}`, { token })).body;

      // Read twice: the second process now keeps the answer.
      expect(await read()).toMatchObject({ title: 'Before', labels: [{ name: 'Bug' }] });
      expect(await read()).toMatchObject({ title: 'Before', labels: [{ name: 'Bug' }] });
      expect((await first.request('PATCH', `/api/v1/tasks/${task.body.id}`, { token: session, body: { title: 'After' } })).status).toBe(
        200,
      );
      expect(await read()).toMatchObject({ title: 'After', version: 3 });
      expect((await first.request('PATCH', `/api/v1/labels/${label.body.id}`, { token: session, body: { name: 'Defect' } })).status).toBe(
        200,
      );
      expect((await read()).labels).toMatchObject([{ name: 'Defect' }]);
    });

    it('see a demotion and a removal made through the other process on the very next request', async () => {
      const owner = await remoteOwner(first);
      const member = await remoteOwner(first);
      const { body: workspaces } = await first.request('GET', '/api/v1/workspaces', { token: owner.session });
      const workspaceId: string = workspaces.items[0].id;
      const memberEmail = (await first.request('GET', '/api/v1/me', { token: member.session })).body.email;
      const invitation = await first.request('POST', `/api/v1/workspaces/${workspaceId}/invitations`, {
        token: owner.session,
        body: { email: memberEmail, role: 'team_member' },
      });
      expect((await first.request('POST', `/api/v1/invitations/${invitation.body.id}/accept`, { token: member.session })).status).toBe(200);
      const space = await first.request('POST', `/api/v1/workspaces/${workspaceId}/spaces`, {
        token: owner.session,
        body: { name: 'Shared' },
      });
      const project = await first.request('POST', '/api/v1/projects', {
        token: owner.session,
        body: { spaceId: space.body.id, name: 'Shared' },
      });
      const task = await first.request('POST', '/api/v1/tasks', {
        token: owner.session,
        body: { projectId: project.body.id, title: 'Shared task' },
      });
      const { token } = await createToken(first, { token: member.session });
      const edit = () => second.request('PATCH', `/api/v1/tasks/${task.body.id}`, { token, body: { title: `Edited ${Date.now()}` } });
      const read = () => second.request('GET', `/api/v1/tasks/${task.body.id}`, { token });

      // The second process has read the token, the membership and the task (and may keep them).
      expect((await read()).status).toBe(200);
      expect((await edit()).status).toBe(200);
      expect((await read()).status).toBe(200);

      const demoted = await first.request('PATCH', `/api/v1/workspaces/${workspaceId}/members/${member.userId}`, {
        token: owner.session,
        body: { role: 'viewer' },
      });
      expect(demoted.status).toBe(200);
      expect((await edit()).body.code).toBe('PERMISSION_DENIED');
      expect((await read()).status).toBe(200);

      expect(
        (await first.request('DELETE', `/api/v1/workspaces/${workspaceId}/members/${member.userId}`, { token: owner.session })).status,
      ).toBe(204);
      expect((await read()).status).toBe(404);
    });
  });
}
