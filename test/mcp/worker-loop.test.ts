import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { expect, it } from 'vitest';
import { describeWithServer } from '../client/server.js';
import { call, callOk, mcpClient, textOf, workspaceWithAgents } from './mcp-client.js';

interface TaskPage {
  items: { id: string; status: string }[];
}

describeWithServer('MCP worker loop', (server) => {
  it('lets two agents race for one task: one claims and completes it, the other is told it was claimed', async () => {
    const { tg, workspace, project, agents } = await workspaceWithAgents(server().url, ['Alpha', 'Beta']);
    const task = await tg.tasks.create({ projectId: project.id, title: 'Only one of you' });
    const [alpha, beta] = await Promise.all(agents.map((a) => mcpClient(server().url, a.token)));
    await Promise.all([alpha!.listTools(), beta!.listTools()]);

    for (const worker of [alpha!, beta!]) {
      const todo = await callOk<TaskPage>(worker, 'list_tasks', { status: 'todo' });
      expect(todo.items.map((t) => t.id)).toEqual([task.id]);
    }
    const claims = await Promise.all([alpha!, beta!].map((worker) => call(worker, 'claim_task', { taskId: task.id })));
    const won = claims.filter((result) => !result.isError);
    const lost = claims.filter((result) => result.isError);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(textOf(lost[0]!)).toMatch(/claimed/i);
    const winnerIndex = claims.indexOf(won[0]!);
    const winner = [alpha!, beta!][winnerIndex]!;
    const winnerId = agents[winnerIndex]!.agent.id;
    expect(won[0]!.structuredContent).toMatchObject({ status: 'in_progress', claimedBy: { type: 'agent', id: winnerId } });
    expect(textOf(lost[0]!)).toContain(winnerId);

    const done = await callOk(winner, 'complete_task', { taskId: task.id, resultNote: 'Done by the winner' });
    expect(done).toMatchObject({ status: 'done', resultNote: 'Done by the winner' });
    expect((await callOk<TaskPage>(beta!, 'list_tasks', { status: 'todo' })).items).toEqual([]);

    // The activity names the agent that did the work.
    const events = await tg.events.list(workspace.id).all();
    expect(events.filter((e) => e.type === 'task.claimed' || e.type === 'task.completed').map((e) => e.actor)).toEqual([
      { type: 'agent', id: winnerId },
      { type: 'agent', id: winnerId },
    ]);
    await Promise.all([alpha!.close(), beta!.close()]);
  });

  it('lets an agent give a claimed task back for another to take', async () => {
    const { tg, project, agents } = await workspaceWithAgents(server().url, ['Quitter', 'Finisher']);
    const task = await tg.tasks.create({ projectId: project.id, title: 'Hand-over' });
    const [quitter, finisher] = await Promise.all(agents.map((a) => mcpClient(server().url, a.token)));
    await callOk(quitter!, 'claim_task', { taskId: task.id });
    expect(await callOk(quitter!, 'release_task', { taskId: task.id })).toMatchObject({ status: 'todo', claimedBy: null, assignees: [] });
    expect(await callOk(finisher!, 'claim_task', { taskId: task.id })).toMatchObject({
      claimedBy: { type: 'agent', id: agents[1]!.agent.id },
    });
    const refused = await call(quitter!, 'release_task', { taskId: task.id });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/claimed/i);
    await Promise.all([quitter!.close(), finisher!.close()]);
  });

  it('refuses a revoked token on its next call, and audits the refusal naming the agent', async () => {
    const { tg, agents } = await workspaceWithAgents(server().url);
    const { agent, token } = agents[0]!;
    const client = await mcpClient(server().url, token);
    expect(await callOk(client, 'whoami')).toMatchObject({ token: { kind: 'agent', agentId: agent.id } });
    // Its last use is tracked as on the REST API.
    expect((await tg.agents.get(agent.id)).token?.lastUsedAt).toEqual(expect.any(String));

    await tg.agents.revokeToken(agent.id);
    const refusal = await call(client, 'whoami').catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(StreamableHTTPError);
    expect(refusal).toMatchObject({ code: 401 });
    expect(String((refusal as Error).message)).toContain('TOKEN_REVOKED');

    const audit = await tg.auditLog.list().all();
    expect(audit).toContainEqual(
      expect.objectContaining({
        action: 'agent_token.use_refused',
        actor: { type: 'agent', id: agent.id },
        details: expect.objectContaining({ reason: 'revoked', method: 'POST', route: '/mcp' }),
      }),
    );
    await client.close();
  });

  it("spends one request of the token's rate budget per HTTP request, and refuses with 429 past it", async () => {
    const { tg } = await workspaceWithAgents(server().url, []);
    const { token } = await tg.tokens.create({ name: 'slow', rateLimitPerMinute: 3 });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const list = (id: number) =>
      fetch(`${server().url}/mcp`, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/list' }) });

    const remaining: string[] = [];
    for (let id = 1; id <= 3; id++) {
      const answer = await list(id);
      expect(answer.status).toBe(200);
      expect(((await answer.json()) as { result: { tools: unknown[] } }).result.tools.length).toBeGreaterThan(0);
      remaining.push(answer.headers.get('ratelimit')!.split(';')[1]!);
    }
    expect(remaining).toEqual(['r=2', 'r=1', 'r=0']);
    const limited = await list(4);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await limited.json()).toMatchObject({ code: 'RATE_LIMITED' });
    await expect(mcpClient(server().url, token)).rejects.toMatchObject({ code: 429 });
  });
});
