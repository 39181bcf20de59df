import { expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { createContext } from '../../src/context.js';
import { addMember, createAdmin, createUser, expectError } from '../helpers/factories.js';
import { describeEachDialectWith, dialectEnv, startTestApp, TEST_ENV, type TestApp } from '../helpers/harness.js';
import { createLabel, createPersonalToken, createTask, ok, ownProject } from '../tasks/fixtures.js';

/**
 * Two app instances on one database, as two processes would be: what one changes, the other's read cache
 * must show on the very next request (ADR 0001 for SQLite, ADR 0008 for PostgreSQL).
 */
interface TwoApps {
  /** Where the changes are made. */
  writer: TestApp;
  /** Where they must be seen: its answers are kept in memory between requests. */
  reader: TestApp;
  close(): Promise<void>;
}

async function startTwo(dialect: 'sqlite' | 'postgres'): Promise<TwoApps> {
  const writer = await startTestApp(dialect);
  const schema = writer.ctx.config.databaseSchema ?? '';
  const config = loadConfig({ ...TEST_ENV, ...dialectEnv(dialect, writer.dataDir, schema) });
  const ctx = await createContext(config);
  const app = await buildApp(ctx, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const url = `http://127.0.0.1:${address.port}`;
  const reader: TestApp = {
    ...writer,
    url,
    ctx,
    app,
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(url + path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers, text };
    },
    async close() {
      await app.close();
      await ctx.close();
    },
  };
  return {
    writer,
    reader,
    async close() {
      await reader.close();
      await writer.close();
    },
  };
}

describeEachDialectWith('the read cache across two app instances', startTwo, (two) => {
  const writer = () => two().writer;
  const reader = () => two().reader;

  it('a revoked token is refused on the next request to the other instance', async () => {
    const { owner } = await ownProject(writer());
    const token = await createPersonalToken(writer(), owner);
    ok(await reader().request('GET', '/api/v1/me', { token }));
    ok(await reader().request('GET', '/api/v1/me', { token }));
    const [listed] = ok(await writer().request('GET', '/api/v1/tokens', { token: owner.token })).items;
    expect((await writer().request('DELETE', `/api/v1/tokens/${listed.id}`, { token: owner.token })).status).toBe(204);
    expectError(await reader().request('GET', '/api/v1/me', { token }), 401, 'TOKEN_REVOKED');
  });

  it('a demoted member loses the permission on the next request to the other instance', async () => {
    const { owner, workspace, project } = await ownProject(writer());
    const member = await createUser(writer(), { name: 'Member' });
    await addMember(writer(), owner, workspace, member, 'team_member');
    const token = await createPersonalToken(writer(), member);
    ok(await reader().request('POST', '/api/v1/tasks', { token, body: { projectId: project.id, title: 'Allowed' } }), 201);
    const demoted = await writer().request('PATCH', `/api/v1/workspaces/${workspace.id}/members/${member.id}`, {
      token: owner.token,
      body: { role: 'viewer' },
    });
    ok(demoted);
    const refused = await reader().request('POST', '/api/v1/tasks', { token, body: { projectId: project.id, title: 'Refused' } });
    expectError(refused, 403, 'PERMISSION_DENIED');
  });

  it("a blocked user's token is refused on the next request to the other instance", async () => {
    const { owner: user } = await ownProject(writer());
    const token = await createPersonalToken(writer(), user);
    ok(await reader().request('GET', '/api/v1/me', { token }));
    const admin = await createAdmin(writer());
    ok(await writer().request('POST', `/api/v1/admin/users/${user.id}/block`, { token: admin.token }));
    expectError(await reader().request('GET', '/api/v1/me', { token }), 401, 'USER_BLOCKED');
  });

  it('a plan downgrade applies on the next request to the other instance', async () => {
    const { owner, workspace, project } = await ownProject(writer());
    const token = await createPersonalToken(writer(), owner);
    const page = `/api/v1/tasks?projectId=${project.id}&limit=30`;
    ok(await reader().request('GET', page, { token }));
    const admin = await createAdmin(writer());
    ok(await writer().request('PATCH', `/api/v1/workspaces/${workspace.id}`, { token: admin.token, body: { plan: 'free' } }));
    expectError(await reader().request('GET', page, { token }), 403, 'PLAN_UPGRADE_REQUIRED');
  });

  it('a page of 30 polled from memory shows an edit, an assignee and a renamed label made through the other instance', async () => {
    const { owner, workspace, project } = await ownProject(writer());
    const token = await createPersonalToken(writer(), owner);
    const label = await createLabel(writer(), owner, workspace.id, 'Bug');
    const tasks = [];
    for (let i = 0; i < 30; i++) tasks.push(await createTask(writer(), owner, project.id, { title: `Task ${i}` }));
    ok(await writer().request('POST', `/api/v1/tasks/${tasks[7].id}/labels`, { token: owner.token, body: { labelId: label.id } }));
    const page = `/api/v1/tasks?projectId=${project.id}&limit=30`;
    const poll = async () => reader().request('GET', page, { token });

    // The second poll is answered from memory (the page, its links and its JSON are kept).
    const first = await poll();
    const again = await poll();
    expect(again.text).toBe(first.text);
    expect(ok(again).items).toHaveLength(30);

    ok(await writer().request('PATCH', `/api/v1/tasks/${tasks[3].id}`, { token: owner.token, body: { title: 'Edited elsewhere' } }));
    expect(ok(await poll()).items[3]).toMatchObject({ id: tasks[3].id, title: 'Edited elsewhere', version: 2 });

    ok(await writer().request('POST', `/api/v1/tasks/${tasks[5].id}/assignees`, { token: owner.token, body: { userId: owner.id } }));
    expect(ok(await poll()).items[5].assignees).toEqual([{ type: 'user', id: owner.id, name: 'Owner' }]);

    ok(await writer().request('PATCH', `/api/v1/labels/${label.id}`, { token: owner.token, body: { name: 'Defect' } }));
    expect(ok(await poll()).items[7].labels).toEqual([{ id: label.id, name: 'Defect', color: label.color }]);
  });
});
