import { expect, it } from 'vitest';
import { describeWithServer } from '../client/server.js';
import { workspaceWithAgents } from './mcp-client.js';

const MCP_ACCEPT = 'application/json, text/event-stream';

function createTaskCall(id: number, projectId: string, title: string) {
  return { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'create_task', arguments: { projectId, title } } };
}

function post(url: string, token: string, body: string, headers: Record<string, string> = {}) {
  return fetch(`${url}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: MCP_ACCEPT, ...headers },
    body,
  });
}

async function envelopeOf(answer: Response) {
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  return answer.json() as Promise<Record<string, unknown>>;
}

describeWithServer('MCP endpoint: requests the transport would refuse answer the error envelope', (server) => {
  it('refuses a JSON-RPC batch with 400 and runs none of its calls', async () => {
    const { tg, project } = await workspaceWithAgents(server().url, []);
    const { token } = await tg.tokens.create({ name: 'batcher' });
    const batch = [createTaskCall(1, project.id, 'First of a batch'), createTaskCall(2, project.id, 'Second of a batch')];

    const refused = await post(server().url, token, JSON.stringify(batch));
    expect(refused.status).toBe(400);
    expect(await envelopeOf(refused)).toMatchObject({ code: 'BAD_REQUEST', statusCode: 400, requestId: expect.any(String) });
    expect(await tg.tasks.list({ projectId: project.id }).all()).toEqual([]);

    // The same message sent alone is answered: only the batch was refused.
    const single = await post(server().url, token, JSON.stringify(batch[0]));
    expect(single.status).toBe(200);
    expect(await single.json()).toMatchObject({ jsonrpc: '2.0', id: 1, result: { structuredContent: { title: 'First of a batch' } } });
    expect((await tg.tasks.list({ projectId: project.id }).all()).map((task) => task.title)).toEqual(['First of a batch']);
  });

  it('answers a body that is not JSON with 415, and a client that cannot take both answer types with 406', async () => {
    const { tg, project } = await workspaceWithAgents(server().url, []);
    const { token } = await tg.tokens.create({ name: 'picky' });
    const message = JSON.stringify(createTaskCall(1, project.id, 'Made once'));

    const plain = await post(server().url, token, message, { 'content-type': 'text/plain' });
    expect(plain.status).toBe(415);
    expect(await envelopeOf(plain)).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', statusCode: 415 });

    for (const accept of ['application/json', 'text/event-stream']) {
      const answer = await post(server().url, token, message, { accept });
      expect(answer.status, accept).toBe(406);
      expect(await envelopeOf(answer)).toMatchObject({ code: 'NOT_ACCEPTABLE', statusCode: 406 });
    }
    // fetch sends `*/*` when no Accept is given: the transport asks for both names, as does the route.
    const withoutAccept = await fetch(`${server().url}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: message,
    });
    expect(withoutAccept.status).toBe(406);
    expect(await envelopeOf(withoutAccept)).toMatchObject({ code: 'NOT_ACCEPTABLE' });
    expect(await tg.tasks.list({ projectId: project.id }).all()).toEqual([]);

    // A media type with parameters is still JSON.
    const charset = await post(server().url, token, message, { 'content-type': 'Application/JSON; charset=utf-8' });
    expect(charset.status).toBe(200);
    expect((await tg.tasks.list({ projectId: project.id }).all()).map((task) => task.title)).toEqual(['Made once']);
  });
});
