import { expect, it } from 'vitest';
import { Taskgate, TaskgateError } from '../../packages/client/src/index.js';
import { describeWithServer, signedInUser, userWithProject } from './server.js';

describeWithServer('@taskgate/client: every resource against a server process', (server) => {
  it('signs in and out, shows the caller, and lists and ends sessions', async () => {
    const { tg, user, sessionToken } = await signedInUser(server().url);
    expect(await tg.me.get()).toMatchObject({ id: user.id, email: user.email, token: null });

    const other = new Taskgate({ baseUrl: server().url });
    const second = await other.auth.login({ email: user.email, password: user.password });
    const sessions = await tg.sessions.list().all();
    expect(sessions).toHaveLength(2);
    const otherSession = sessions.find((s) => !s.current)!;
    await tg.sessions.revoke(otherSession.id);
    await expect(new Taskgate({ baseUrl: server().url, token: second.sessionToken }).me.get()).rejects.toMatchObject({ status: 401 });

    await other.auth.login({ email: user.email, password: user.password });
    expect(await tg.sessions.revokeOthers()).toMatchObject({ ended: 1 });

    await tg.auth.logout();
    await expect(new Taskgate({ baseUrl: server().url, token: sessionToken }).me.get()).rejects.toMatchObject({
      status: 401,
      code: 'INVALID_TOKEN',
    });
  });

  it('manages personal tokens: create, use, list, get, update, rotate, revoke, revoke all, and their audit log', async () => {
    const { tg, project } = await userWithProject(server().url);
    const catalogue = await tg.tokens.permissions();
    expect(catalogue.categories.flatMap((c) => c.permissions.map((p) => p.name))).toContain('tasks:read');

    const issued = await tg.tokens.create({ name: 'CI', permissions: ['tasks:read'] });
    expect(issued.token).toMatch(/^tgp_/);
    const asToken = new Taskgate({ baseUrl: server().url, token: issued.token });
    expect((await asToken.me.get()).token).toMatchObject({ id: issued.id });
    const task = await tg.tasks.create({ projectId: project.id, title: 'Visible to the token' });
    expect((await asToken.tasks.list({ projectId: project.id }).all()).map((t) => t.id)).toEqual([task.id]);

    expect((await tg.tokens.list().all()).map((t) => t.id)).toContain(issued.id);
    expect(await tg.tokens.get(issued.id)).toMatchObject({ name: 'CI', status: 'active' });
    expect(await tg.tokens.update(issued.id, { name: 'CI renamed' })).toMatchObject({ name: 'CI renamed' });

    const rotated = await tg.tokens.rotate(issued.id, { graceSeconds: 60 });
    expect(rotated.token).not.toBe(issued.token);
    expect(rotated.previousSecretValidUntil).not.toBeNull();
    await tg.tokens.revoke(issued.id);
    await expect(asToken.me.get()).rejects.toMatchObject({ status: 401, code: 'TOKEN_REVOKED' });

    await tg.tokens.create({ name: 'second' });
    expect((await tg.tokens.revokeAll()).revoked).toBe(1);
    const actions = (await tg.auditLog.list().all()).map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['token.created', 'token.rotated', 'token.revoked']));
  });

  it('manages workspaces and members', async () => {
    const owner = await signedInUser(server().url, 'Owner');
    const member = await signedInUser(server().url, 'Member');
    const workspace = await owner.tg.workspaces.create({ name: 'Members' });
    expect(await owner.tg.workspaces.get(workspace.id)).toMatchObject({ name: 'Members' });
    expect(await owner.tg.workspaces.update(workspace.id, { name: 'Renamed' })).toMatchObject({ name: 'Renamed' });

    const invitation = await owner.tg.invitations.create(workspace.id, { email: member.user.email, role: 'viewer' });
    expect(invitation).toMatchObject({ role: 'viewer', status: 'pending' });
    expect((await owner.tg.invitations.list(workspace.id).all()).map((i) => i.id)).toEqual([invitation.id]);
    expect((await member.tg.invitations.listMine().all()).map((i) => i.id)).toEqual([invitation.id]);
    expect(await member.tg.invitations.accept(invitation.id)).toMatchObject({ role: 'viewer' });
    // Another invitation, declined, and a third revoked by the owner: neither makes anyone a member.
    const declinedBy = await signedInUser(server().url, 'Decliner');
    const declined = await owner.tg.invitations.create(workspace.id, { email: declinedBy.user.email, role: 'viewer' });
    await declinedBy.tg.invitations.decline(declined.id);
    const revoked = await owner.tg.invitations.create(workspace.id, { email: 'nobody-yet@example.test', role: 'viewer' });
    await owner.tg.invitations.revoke(workspace.id, revoked.id);
    expect(await owner.tg.members.update(workspace.id, member.user.id, { role: 'team_member' })).toMatchObject({ role: 'team_member' });
    expect((await owner.tg.members.list(workspace.id).all()).map((m) => m.role).sort()).toEqual(['owner', 'team_member']);
    await owner.tg.members.remove(workspace.id, member.user.id);
    await expect(member.tg.workspaces.get(workspace.id)).rejects.toMatchObject({ status: 404 });

    await owner.tg.workspaces.delete(workspace.id);
    expect(await owner.tg.workspaces.list().all()).toEqual([]);
  });

  it('manages spaces, projects, labels and task statuses', async () => {
    const { tg, workspace, space, project } = await userWithProject(server().url);
    expect(await tg.spaces.get(space.id)).toMatchObject({ name: 'Engineering' });
    expect(await tg.spaces.update(space.id, { description: 'The engineers' })).toMatchObject({ description: 'The engineers' });
    expect((await tg.spaces.list(workspace.id).all()).map((s) => s.id)).toEqual([space.id]);

    expect(await tg.projects.get(project.id)).toMatchObject({ name: 'API' });
    expect(await tg.projects.update(project.id, { archived: true })).toMatchObject({ archived: true });
    expect(await tg.projects.list({ workspaceId: workspace.id }).all()).toEqual([]);
    expect((await tg.projects.list({ workspaceId: workspace.id, includeArchived: true }).all()).map((p) => p.id)).toEqual([project.id]);
    await tg.projects.delete(project.id);

    const label = await tg.labels.create(workspace.id, { name: 'bug', color: '#ff0000' });
    expect(await tg.labels.get(label.id)).toMatchObject({ name: 'bug' });
    expect(await tg.labels.update(label.id, { name: 'defect' })).toMatchObject({ name: 'defect' });
    expect((await tg.labels.list(workspace.id).all()).map((l) => l.name)).toEqual(['defect']);
    await tg.labels.delete(label.id);

    const statuses = await tg.taskStatuses.list(workspace.id);
    const keys = statuses.items.map((s) => s.key);
    expect(keys).toEqual(expect.arrayContaining(['todo', 'in_progress', 'done']));
    const replaced = await tg.taskStatuses.replace(workspace.id, {
      statuses: [...statuses.items.map(({ key, name }) => ({ key, name })), { key: 'review', name: 'In review' }],
    });
    expect(replaced.items.map((s) => s.key)).toContain('review');

    await tg.spaces.delete(space.id);
    await expect(tg.spaces.get(space.id)).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('works tasks: create, get, list, update with If-Match, assign, label, claim, complete, delete', async () => {
    const { tg, user, workspace, project } = await userWithProject(server().url);
    const label = await tg.labels.create(workspace.id, { name: 'urgent', color: '#ff8800' });
    const task = await tg.tasks.create({ projectId: project.id, title: 'Write the client', priority: 'high' });
    expect(await tg.tasks.get(task.id)).toMatchObject({ title: 'Write the client', version: task.version });

    const edited = await tg.tasks.update(task.id, { title: 'Write the typed client' }, { ifMatch: task.version });
    expect(edited.version).toBeGreaterThan(task.version);
    expect((await tg.tasks.assign(task.id, { userId: user.id })).assignees).toEqual([
      expect.objectContaining({ type: 'user', id: user.id }),
    ]);
    expect((await tg.tasks.addLabel(task.id, label.id)).labels).toEqual([expect.objectContaining({ id: label.id })]);
    const listed = await tg.tasks.list({ projectId: project.id, label: label.id, assignee: 'me' }).all();
    expect(listed.map((t) => t.id)).toEqual([task.id]);
    await tg.tasks.removeLabel(task.id, label.id);
    await tg.tasks.unassign(task.id, user.id);
    expect(await tg.tasks.get(task.id)).toMatchObject({ assignees: [], labels: [] });

    expect(await tg.tasks.claim(task.id)).toMatchObject({ status: 'in_progress', claimedBy: { type: 'user', id: user.id } });
    expect(await tg.tasks.complete(task.id, { resultNote: 'Shipped' })).toMatchObject({ status: 'done', resultNote: 'Shipped' });
    await tg.tasks.delete(task.id);
    await expect(tg.tasks.get(task.id)).rejects.toMatchObject({ status: 404 });
  });

  it('manages workspace access tokens, agents and events', async () => {
    const { tg, workspace, project } = await userWithProject(server().url);
    const key = await tg.accessTokens.create(workspace.id, { label: 'CI', scope: 'administrator' });
    expect(key.token).toMatch(/^tgw_/);
    const team = new Taskgate({ baseUrl: server().url, token: key.token });
    const registered = await team.agents.register(workspace.id, { name: 'Build bot', description: 'Fixes builds' });
    expect(registered.token).toMatch(/^tga_/);
    const { agent } = registered;

    expect((await tg.accessTokens.list(workspace.id).all()).map((t) => t.id)).toEqual([key.id]);
    expect(await tg.accessTokens.update(workspace.id, key.id, { enabled: false })).toMatchObject({ status: 'disabled' });
    await expect(team.me.get()).rejects.toMatchObject({ status: 401, code: 'TOKEN_DISABLED' });
    await tg.accessTokens.delete(workspace.id, key.id);

    const bot = new Taskgate({ baseUrl: server().url, token: registered.token });
    const task = await tg.tasks.create({ projectId: project.id, title: 'For the bot' });
    expect(await bot.tasks.claim(task.id)).toMatchObject({ claimedBy: { type: 'agent', id: agent.id } });
    expect(await tg.agents.get(agent.id)).toMatchObject({ name: 'Build bot' });
    expect(await tg.agents.update(agent.id, { description: 'Builds' })).toMatchObject({ description: 'Builds' });
    expect((await tg.agents.list(workspace.id).all()).map((a) => a.id)).toEqual([agent.id]);

    const reissued = await tg.agents.reissueToken(agent.id, { graceSeconds: 0 });
    await expect(bot.me.get()).rejects.toBeInstanceOf(TaskgateError);
    const newBot = new Taskgate({ baseUrl: server().url, token: reissued.token });
    expect(await newBot.tasks.get(task.id)).toMatchObject({ id: task.id });
    await tg.agents.revokeToken(agent.id);
    await expect(newBot.tasks.get(task.id)).rejects.toMatchObject({ status: 401 });
    await tg.agents.delete(agent.id);

    const types = (await tg.events.list(workspace.id).all()).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['task.created', 'task.claimed', 'agent.created', 'access_token.created']));
    const claims = await tg.events.list(workspace.id, { type: 'task.claimed' }).all();
    expect(claims).toEqual([expect.objectContaining({ actor: { type: 'agent', id: agent.id } })]);
  });

  it('administers users and reads the probes and catalogue', async () => {
    const admin = new Taskgate({ baseUrl: server().url });
    const { sessionToken } = await admin.auth.login(server().admin);
    const asAdmin = new Taskgate({ baseUrl: server().url, token: sessionToken });
    const { tg, user, workspace } = await userWithProject(server().url);
    const script = new Taskgate({ baseUrl: server().url, token: (await tg.tokens.create({ name: 'script' })).token });
    expect(await asAdmin.admin.listUsers({ q: user.email }).all()).toEqual([expect.objectContaining({ id: user.id, blocked: false })]);
    expect((await asAdmin.admin.listWorkspaces({ limit: 200 }).all()).find((w) => w.id === workspace.id)).toMatchObject({ memberCount: 1 });
    expect((await asAdmin.admin.blockUser(user.id)).user).toMatchObject({ id: user.id, blocked: true });
    await expect(script.me.get()).rejects.toMatchObject({ status: 401, code: 'USER_BLOCKED' });
    expect((await asAdmin.admin.unblockUser(user.id)).user).toMatchObject({ blocked: false });

    expect(await admin.system.health()).toEqual({ status: 'ok' });
    expect(await admin.system.ready()).toMatchObject({ status: 'ready', database: 'up' });
    expect((await admin.system.permissions()).categories.length).toBeGreaterThan(3);
  });
});
