import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { addMember, createAdmin, createUser, createWorkspace, expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';

const marker = () => `mk${randomBytes(4).toString('hex')}`;

describeEachDialect('instance admin lists', (app) => {
  it('lists users newest first, matching email or name ignoring case, and filters by blocked', async () => {
    const admin = await createAdmin(app());
    const tag = marker();
    const byName = await createUser(app(), { name: `Ada ${tag.toUpperCase()}` });
    const byEmail = await createUser(app(), { email: `${tag}-x@example.test` });
    await createUser(app(), { name: 'Someone else' });
    const res = await app().request('GET', `/api/v1/admin/users?q=${tag}`, { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body.items.map((u: { id: string }) => u.id)).toEqual([byEmail.id, byName.id]);
    expect(res.body.items[1]).toEqual({
      id: byName.id,
      email: byName.email,
      name: byName.name,
      isAdmin: false,
      blocked: false,
      createdAt: expect.any(String),
    });
    expect(res.body.nextCursor).toBeNull();

    expect((await app().request('POST', `/api/v1/admin/users/${byName.id}/block`, { token: admin.token })).status).toBe(200);
    const blocked = await app().request('GET', `/api/v1/admin/users?q=${tag}&blocked=true`, { token: admin.token });
    expect(blocked.body.items.map((u: { id: string; blocked: boolean }) => [u.id, u.blocked])).toEqual([[byName.id, true]]);
    const active = await app().request('GET', `/api/v1/admin/users?q=${tag}&blocked=false`, { token: admin.token });
    expect(active.body.items.map((u: { id: string }) => u.id)).toEqual([byEmail.id]);
  });

  it('pages users with a cursor, without repeats', async () => {
    const admin = await createAdmin(app());
    const tag = marker();
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await createUser(app(), { name: `Pager ${tag} ${i}` }));
    const first = await app().request('GET', `/api/v1/admin/users?q=${tag}&limit=2`, { token: admin.token });
    expect(first.body.items.map((u: { id: string }) => u.id)).toEqual([made[2]!.id, made[1]!.id]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await app().request('GET', `/api/v1/admin/users?q=${tag}&limit=2&cursor=${first.body.nextCursor}`, {
      token: admin.token,
    });
    expect(second.body).toEqual({ items: [expect.objectContaining({ id: made[0]!.id })], nextCursor: null });
    expectError(await app().request('GET', '/api/v1/admin/users?cursor=nonsense', { token: admin.token }), 400, 'VALIDATION_FAILED');
    expectError(await app().request('GET', '/api/v1/admin/users?blocked=maybe', { token: admin.token }), 400, 'VALIDATION_FAILED');
  });

  it('lists workspaces with their plan and member count, matching the name and paging', async () => {
    const admin = await createAdmin(app());
    const owner = await createUser(app());
    const tag = marker();
    const solo = await createWorkspace(app(), owner, { name: `Solo ${tag}` });
    const team = await createWorkspace(app(), owner, { name: `TEAM ${tag.toUpperCase()}`, plan: 'team' });
    await addMember(app(), owner, team, await createUser(app()), 'viewer');
    const res = await app().request('GET', `/api/v1/admin/workspaces?q=${tag}`, { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        { id: team.id, name: team.name, plan: 'team', memberCount: 2, createdAt: expect.any(String) },
        { id: solo.id, name: solo.name, plan: solo.plan, memberCount: 1, createdAt: expect.any(String) },
      ],
      nextCursor: null,
    });
    const first = await app().request('GET', `/api/v1/admin/workspaces?q=${tag}&limit=1`, { token: admin.token });
    expect(first.body.items.map((w: { id: string }) => w.id)).toEqual([team.id]);
    const second = await app().request('GET', `/api/v1/admin/workspaces?q=${tag}&limit=1&cursor=${first.body.nextCursor}`, {
      token: admin.token,
    });
    expect(second.body).toEqual({ items: [expect.objectContaining({ id: solo.id })], nextCursor: null });
  });

  it('refuses anyone but an instance admin, as blocking does', async () => {
    const user = await createUser(app());
    await createWorkspace(app(), user);
    for (const path of ['/api/v1/admin/users', '/api/v1/admin/workspaces']) {
      expectError(await app().request('GET', path, { token: user.token }), 403, 'ADMIN_ONLY');
      expect((await app().request('GET', path)).status).toBe(401);
    }
  });
});
