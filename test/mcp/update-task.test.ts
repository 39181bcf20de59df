import { expect, it } from 'vitest';
import { describeWithServer } from '../client/server.js';
import { callOk, callRefused, mcpClient, workspaceWithAgents } from './mcp-client.js';

describeWithServer('MCP update_task and list_tasks refuse as the REST API does', (server) => {
  it('changes nothing when a label or assignee of the call is refused, even after a valid field change', async () => {
    const { tg, user, workspace, project, agents } = await workspaceWithAgents(server().url);
    const outsider = await workspaceWithAgents(server().url);
    const foreignLabel = await outsider.tg.labels.create(outsider.workspace.id, { name: 'theirs' });
    const label = await tg.labels.create(workspace.id, { name: 'ours' });
    const task = await tg.tasks.create({ projectId: project.id, title: 'Original title' });
    const client = await mcpClient(server().url, (await tg.tokens.create({ name: 'editor' })).token);
    await client.listTools();

    const refusals: [Record<string, unknown>, RegExp][] = [
      [{ addLabels: ['lbl_01jaaaaaaaaaaaaaaaaaaaaaaa'] }, /^NOT_FOUND: Label not found/],
      [{ addLabels: [label.id, foreignLabel.id] }, /^NOT_FOUND: Label not found/],
      [{ removeLabels: [label.id] }, /^NOT_FOUND: Label on this task not found/],
      [{ addAssignees: [agents[0]!.agent.id, outsider.user.id] }, /^ASSIGNEE_NOT_MEMBER/],
      [{ addAssignees: [outsider.agents[0]!.agent.id] }, /^ASSIGNEE_NOT_MEMBER/],
      [{ addAssignees: [user.id], removeAssignees: [agents[0]!.agent.id] }, /^NOT_FOUND: Assignee on this task not found/],
    ];
    for (const [links, refusal] of refusals) {
      const args = { taskId: task.id, version: task.version, title: 'Changed title', priority: 'urgent', ...links };
      expect(await callRefused(client, 'update_task', args), JSON.stringify(links)).toMatch(refusal);
      expect(await tg.tasks.get(task.id)).toEqual(task);
    }

    // The same edits, all valid, apply together; a label added in the call may be removed in it.
    const updated = await callOk(client, 'update_task', {
      taskId: task.id,
      version: task.version,
      title: 'Changed title',
      addLabels: [label.id, label.id],
      removeLabels: [label.id],
      addAssignees: [user.id],
    });
    expect(updated).toMatchObject({ title: 'Changed title', labels: [], assignees: [{ type: 'user', id: user.id }] });
    await client.close();
  });

  it('guards a label-only change with the version too', async () => {
    const { tg, workspace, project } = await workspaceWithAgents(server().url, []);
    const label = await tg.labels.create(workspace.id, { name: 'late' });
    const task = await tg.tasks.create({ projectId: project.id, title: 'Moving on' });
    const moved = await tg.tasks.update(task.id, { title: 'Moved on' });
    const client = await mcpClient(server().url, (await tg.tokens.create({ name: 'stale' })).token);
    await client.listTools();
    expect(await callRefused(client, 'update_task', { taskId: task.id, version: task.version, addLabels: [label.id] })).toMatch(
      new RegExp(`^PRECONDITION_FAILED: .*current version: ${moved.version}`),
    );
    expect(await tg.tasks.get(task.id)).toEqual(moved);
    await client.close();
  });

  it('refuses list_tasks given both projectId and workspaceId, as GET /tasks does', async () => {
    const { tg, workspace, project } = await workspaceWithAgents(server().url, []);
    await tg.tasks.create({ projectId: project.id, title: 'Listed' });
    const client = await mcpClient(server().url, (await tg.tokens.create({ name: 'lister' })).token);
    await client.listTools();
    expect(await callRefused(client, 'list_tasks', { projectId: project.id, workspaceId: workspace.id })).toMatch(
      /^VALIDATION_FAILED: Invalid request: projectId or workspaceId must be given, not both/,
    );
    expect((await callOk<{ items: unknown[] }>(client, 'list_tasks', { projectId: project.id })).items).toHaveLength(1);
    expect((await callOk<{ items: unknown[] }>(client, 'list_tasks', { workspaceId: workspace.id })).items).toHaveLength(1);
    await client.close();
  });
});
