import { expect, it } from 'vitest';
import { Taskgate } from '../../packages/client/src/index.js';
import { describeWithServer, userWithProject } from '../client/server.js';
import { runCli } from './run.js';

describeWithServer('taskgate tokens usage and narrow', (server) => {
  it('shows what a token used, previews the narrowing, and applies it only with --yes', async () => {
    const { tg, sessionToken, workspace } = await userWithProject(server().url);
    const env = { TASKGATE_URL: server().url, TASKGATE_TOKEN: sessionToken };
    const issued = await tg.tokens.create({ name: 'ci' });
    const asToken = new Taskgate({ baseUrl: server().url, token: issued.token });
    await asToken.labels.list(workspace.id).page();
    await asToken.labels.list(workspace.id).page();

    const usage = await runCli(['tokens', 'usage', issued.id], { env });
    expect(usage.code, usage.stderr).toBe(0);
    expect(usage.stdout).toMatch(/^labels:read\s+2\s+\d{4}-\d{2}-\d{2}$/m);
    expect(usage.stdout).toMatch(/^spaces:read\s+0\s+never$/m);
    expect(usage.stdout).toMatch(/^Never used: .*spaces:read/m);
    const json = await runCli(['tokens', 'usage', issued.id, '--json'], { env });
    expect(JSON.parse(json.stdout)).toMatchObject({ days: 30, unusedProjectIds: [] });

    // Not a terminal and no --yes: the preview only.
    const preview = await runCli(['tokens', 'narrow', issued.id], { env });
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toMatch(/^After: {2}permissions labels:read$/m);
    expect(preview.stdout).toMatch(/^Removes permissions: .*spaces:read/m);
    expect(preview.stderr).toContain('Add --yes to apply it');
    expect((await tg.tokens.get(issued.id)).permissions).toBeNull();

    const applied = await runCli(['tokens', 'narrow', issued.id, '--yes', '--json'], { env });
    expect(applied.code, applied.stderr).toBe(0);
    expect(JSON.parse(applied.stdout)).toMatchObject({ applied: true, after: { permissions: ['labels:read'] } });
    expect((await tg.tokens.get(issued.id)).permissions).toEqual(['labels:read']);
    const refused = await asToken.spaces
      .list(workspace.id)
      .page()
      .catch((err: unknown) => err);
    expect(refused).toMatchObject({ status: 403, refusedBy: 'token_permissions', missingPermission: 'spaces:read' });
    const again = await runCli(['tokens', 'narrow', issued.id, '--yes'], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('Nothing to narrow');
  });

  it('narrows a workspace token’s scope, and says an agent has nothing to narrow', async () => {
    const { tg, sessionToken, workspace } = await userWithProject(server().url);
    const env = { TASKGATE_URL: server().url, TASKGATE_TOKEN: sessionToken };
    const key = await tg.accessTokens.create(workspace.id, { label: 'nightly', scope: 'administrator' });
    await new Taskgate({ baseUrl: server().url, token: key.token }).labels.list(workspace.id).page();

    const usage = await runCli(['access-tokens', 'usage', key.id, '--workspace', workspace.id], { env });
    expect(usage.code, usage.stderr).toBe(0);
    expect(usage.stdout).toMatch(/^labels:read\s+1\s/m);
    const narrowed = await runCli(['access-tokens', 'narrow', key.id, '--workspace', workspace.id, '--yes'], { env });
    expect(narrowed.code, narrowed.stderr).toBe(0);
    expect(narrowed.stdout).toMatch(/^Before: scope administrator$/m);
    expect(narrowed.stdout).toMatch(/^After: {2}scope viewer$/m);
    expect(narrowed.stderr).toContain('Narrowed.');
    const [listed] = await tg.accessTokens.list(workspace.id).all();
    expect(listed).toMatchObject({ id: key.id, scope: 'viewer' });

    const agent = await tg.agents.register(workspace.id, { name: 'bot' });
    await new Taskgate({ baseUrl: server().url, token: agent.token }).labels.list(workspace.id).page();
    const agentUsage = await runCli(['agents', 'usage', agent.agent.id, '--json'], { env });
    expect(agentUsage.code, agentUsage.stderr).toBe(0);
    expect(JSON.parse(agentUsage.stdout).permissions).toContainEqual(expect.objectContaining({ permission: 'labels:read', uses: 1 }));
    const agentNarrow = await runCli(['agents', 'narrow', agent.agent.id, '--yes'], { env });
    expect(agentNarrow.code, agentNarrow.stderr).toBe(0);
    expect(agentNarrow.stderr).toContain('Nothing to narrow');
    // An agent whose token was issued 100 days ago and never used is stale; the one just used is not.
    const idle = await tg.agents.register(workspace.id, { name: 'idle' });
    const longAgo = new Date(Date.now() - 100 * 86_400_000).toISOString();
    await server().editRows((db) =>
      db.updateTable('agent_tokens').set({ created_at: longAgo }).where('agent_id', '=', idle.agent.id).execute(),
    );
    const stale = await runCli(['agents', 'list', '--workspace', workspace.id, '--stale', '--json'], { env });
    expect(stale.code, stale.stderr).toBe(0);
    expect(JSON.parse(stale.stdout).map((a: { id: string }) => a.id)).toEqual([idle.agent.id]);
    const table = await runCli(['agents', 'list', '--workspace', workspace.id], { env });
    expect(table.stdout).toMatch(new RegExp(`^${idle.agent.id}\\s.*\\sstale$`, 'm'));
  });
});
