import { expect, it } from 'vitest';
import { Taskgate } from '../../packages/client/src/index.js';
import { describeWithServer } from '../client/server.js';
import { callOk, callRefused, mcpClient, toolNames, workspaceWithAgents } from './mcp-client.js';

const EVERY_TOOL = [
  'claim_task',
  'complete_task',
  'create_task',
  'get_task',
  'list_agents',
  'list_events',
  'list_projects',
  'list_tasks',
  'release_task',
  'update_task',
  'whoami',
];

describeWithServer('MCP tools', (server) => {
  it('lists to each kind of token only the tools it could ever use', async () => {
    const { tg, workspace, agents } = await workspaceWithAgents(server().url);
    const agent = await mcpClient(server().url, agents[0]!.token);
    expect(await toolNames(agent)).toEqual([
      'claim_task',
      'complete_task',
      'get_task',
      'list_agents',
      'list_projects',
      'list_tasks',
      'release_task',
      'update_task',
      'whoami',
    ]);

    const personal = await mcpClient(server().url, (await tg.tokens.create({ name: 'full' })).token);
    expect(await toolNames(personal)).toEqual(EVERY_TOOL);

    const readOnly = await mcpClient(server().url, (await tg.tokens.create({ name: 'reader', permissions: ['tasks:read'] })).token);
    expect(await toolNames(readOnly)).toEqual(['get_task', 'list_tasks', 'whoami']);

    const team = await mcpClient(server().url, (await tg.accessTokens.create(workspace.id, { label: 'CI', scope: 'team_member' })).token);
    expect(await toolNames(team)).not.toContain('claim_task');
    expect(await toolNames(team)).toContain('create_task');

    // Every tool says what it is for and what it returns, in both directions.
    const { tools } = await personal.listTools();
    for (const tool of tools) {
      expect(tool.title, tool.name).toBeTruthy();
      expect(tool.description!.length, tool.name).toBeGreaterThan(60);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type, tool.name).toBe('object');
    }
    await Promise.all([agent, personal, readOnly, team].map((client) => client.close()));
  });

  it('answers a call the token cannot make with a tool error naming the missing permission', async () => {
    const { tg, project, agents } = await workspaceWithAgents(server().url);
    const agent = await mcpClient(server().url, agents[0]!.token);
    expect(await callRefused(agent, 'create_task', { projectId: project.id, title: 'Not mine to make' })).toMatch(
      /^AGENT_NOT_ALLOWED: .*missing permission: tasks:create/,
    );
    expect(await callRefused(agent, 'list_events', {})).toContain('missing permission: events:read');

    const readOnly = await mcpClient(server().url, (await tg.tokens.create({ name: 'reader', permissions: ['tasks:read'] })).token);
    expect(await callRefused(readOnly, 'claim_task', { taskId: 'tsk_whatever' })).toMatch(
      /^PERMISSION_DENIED: .*missing permission: tasks:write/,
    );
    // Its one workspace is the default, though it may not read the workspace itself.
    expect(await callOk(readOnly, 'list_tasks', { status: 'todo' })).toEqual({ items: [], nextCursor: null });
    // Bad arguments are a tool error too, not a protocol error.
    await readOnly.listTools();
    expect(await callRefused(readOnly, 'get_task', { taskId: 'not an id!' })).toContain('taskId');
    await Promise.all([agent.close(), readOnly.close()]);
  });

  it('tells the caller who it is, and works tasks through the same services as the REST API', async () => {
    const { tg, user, workspace, project, agents } = await workspaceWithAgents(server().url);
    const personalToken = await tg.tokens.create({ name: 'assistant' });
    const assistant = await mcpClient(server().url, personalToken.token);
    await assistant.listTools();

    // What GET /me says, through the same service.
    const me = await callOk(assistant, 'whoami');
    expect(me).toEqual(await new Taskgate({ baseUrl: server().url, token: personalToken.token }).me.get());
    expect(me).toMatchObject({ id: user.id, token: { kind: 'personal', id: personalToken.id, workspaceId: null } });
    expect((me.token as { workspaces: unknown[] }).workspaces).toEqual([
      expect.objectContaining({ workspaceId: workspace.id, role: 'owner', permissions: expect.arrayContaining(['tasks:create']) }),
    ]);
    expect(await callOk(assistant, 'list_projects')).toMatchObject({ items: [{ id: project.id }], nextCursor: null });

    const label = await tg.labels.create(workspace.id, { name: 'docs', color: '#00aa00' });
    const created = await callOk<{ id: string; version: number }>(assistant, 'create_task', {
      projectId: project.id,
      title: 'Write the MCP guide',
      priority: 'high',
    });
    const updated = await callOk(assistant, 'update_task', {
      taskId: created.id,
      version: created.version,
      description: 'For agents',
      addLabels: [label.id],
      addAssignees: [agents[0]!.agent.id],
    });
    expect(updated).toMatchObject({
      description: 'For agents',
      labels: [{ id: label.id }],
      assignees: [{ type: 'agent', id: agents[0]!.agent.id }],
    });
    // The REST API sees the very same task.
    expect(await tg.tasks.get(created.id)).toMatchObject({ description: 'For agents', version: updated.version });
    expect(await callRefused(assistant, 'update_task', { taskId: created.id, version: created.version, title: 'Stale' })).toMatch(
      /^PRECONDITION_FAILED: .*current version: \d+/,
    );

    const listed = await callOk<{ items: { id: string }[] }>(assistant, 'list_tasks', { label: label.id, q: 'mcp guide', status: 'todo' });
    expect(listed.items.map((t) => t.id)).toEqual([created.id]);
    expect((await callOk(assistant, 'list_agents')).items).toEqual([expect.objectContaining({ id: agents[0]!.agent.id })]);
    expect((await callOk<{ items: { type: string }[] }>(assistant, 'list_events', { type: 'task.created' })).items).toHaveLength(1);

    const agent = await mcpClient(server().url, agents[0]!.token);
    const mine = await callOk<{ items: { id: string }[] }>(agent, 'list_tasks', { assignee: 'me' });
    expect(mine.items.map((t) => t.id)).toEqual([created.id]);
    const read = await agent.readResource({ uri: `taskgate://tasks/${created.id}` });
    expect(JSON.parse((read.contents[0] as { text: string }).text)).toMatchObject({ id: created.id, title: 'Write the MCP guide' });
    const prompt = await agent.getPrompt({ name: 'work_tasks', arguments: { projectId: project.id } });
    expect((prompt.messages[0]!.content as { text: string }).text).toMatch(
      new RegExp(`list_tasks.*${project.id}[\\s\\S]*claim_task[\\s\\S]*complete_task`),
    );
    const projectRead = await agent.readResource({ uri: `taskgate://projects/${project.id}` });
    expect(JSON.parse((projectRead.contents[0] as { text: string }).text)).toMatchObject({ id: project.id });
    await Promise.all([assistant.close(), agent.close()]);
  });

  it('keeps a project-restricted token inside its projects', async () => {
    const { tg, workspace, space, project } = await workspaceWithAgents(server().url, []);
    const other = await tg.projects.create({ spaceId: space.id, name: 'Secret' });
    const visible = await tg.tasks.create({ projectId: project.id, title: 'In scope' });
    const hidden = await tg.tasks.create({ projectId: other.id, title: 'Out of scope' });
    const scoped = await mcpClient(server().url, (await tg.tokens.create({ name: 'scoped', projectIds: [project.id] })).token);
    await scoped.listTools();

    expect(
      (await callOk<{ items: { id: string }[] }>(scoped, 'list_projects', { workspaceId: workspace.id })).items.map((p) => p.id),
    ).toEqual([project.id]);
    expect((await callOk<{ items: { id: string }[] }>(scoped, 'list_tasks')).items.map((t) => t.id)).toEqual([visible.id]);
    expect(await callRefused(scoped, 'get_task', { taskId: hidden.id })).toMatch(/^PROJECT_OUT_OF_SCOPE/);
    expect(await callRefused(scoped, 'create_task', { projectId: other.id, title: 'Sneaky' })).toMatch(/^PROJECT_OUT_OF_SCOPE/);
    await expect(scoped.readResource({ uri: `taskgate://tasks/${hidden.id}` })).rejects.toThrow(/PROJECT_OUT_OF_SCOPE/);
    expect((await tg.tasks.list({ projectId: other.id }).all()).map((t) => t.id)).toEqual([hidden.id]);
    await scoped.close();
  });
});
