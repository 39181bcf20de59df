import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { describeWithServer, signedInUser } from '../client/server.js';
import { ROOT } from '../helpers/server-process.js';
import { callOk, mcpClient, workspaceWithAgents } from './mcp-client.js';

interface ClientConfig {
  mcpServers: Record<string, { type: string; url: string; headers: Record<string, string> }>;
}

/** The client configuration the README shows under "Through MCP". */
function readmeClientConfig(): ClientConfig {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Through MCP'));
  return JSON.parse(/```json\n([\s\S]*?)```/.exec(section)![1]!) as ClientConfig;
}

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

const run = promisify(execFile);
const INSPECTOR = path.join(ROOT, 'node_modules/.bin/mcp-inspector-cli');

/** Runs the MCP Inspector CLI (an independent client) against the server and parses what it prints. */
async function inspect(url: string, token: string, ...method: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(
    INSPECTOR,
    ['--cli', `${url}/mcp`, '--transport', 'http', '--header', `Authorization: Bearer ${token}`, ...method],
    {
      // It finds its own package.json through "../package.json" from the working directory: any folder one below ROOT will do.
      cwd: path.join(ROOT, 'test'),
      timeout: 60_000,
    },
  );
  return JSON.parse(stdout.slice(stdout.indexOf('{'))) as Record<string, unknown>;
}

function post(url: string, headers: Record<string, string>, body: unknown = INITIALIZE) {
  return fetch(`${url}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(body),
  });
}

describeWithServer('MCP endpoint', (server) => {
  it('initializes with the SDK client and says what it offers', async () => {
    const { agents } = await workspaceWithAgents(server().url);
    const client = await mcpClient(server().url, agents[0]!.token);
    expect(client.getServerVersion()).toMatchObject({ name: 'taskgate' });
    expect(client.getServerCapabilities()).toMatchObject({ tools: {}, resources: {} });
    expect(client.getInstructions()).toContain('claim_task');
    await client.close();
  });

  it('refuses a missing or bad token with 401 and a challenge naming the protected-resource metadata', async () => {
    const metadataUrl = `${server().url}/.well-known/oauth-protected-resource`;
    const missing = await post(server().url, {});
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${metadataUrl}"`);
    expect(await missing.json()).toMatchObject({ code: 'UNAUTHENTICATED' });

    const bad = await post(server().url, { authorization: 'Bearer tga_not_a_real_token' });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toBe(`Bearer error="invalid_token", resource_metadata="${metadataUrl}"`);

    const metadata = await fetch(metadataUrl);
    expect(metadata.status).toBe(200);
    const document = (await metadata.json()) as Record<string, unknown>;
    expect(document).toMatchObject({ resource: `${server().url}/mcp`, bearer_methods_supported: ['header'] });
    // Taskgate runs no OAuth server: none is named (tokens come from the UI or the CLI).
    expect(document).not.toHaveProperty('authorization_servers');
    expect(await (await fetch(`${metadataUrl}/mcp`)).json()).toEqual(document);
    // MCP clients learn the tools from the endpoint itself: the REST API's document leaves these routes out.
    const openapi = (await (await fetch(`${server().url}/docs/json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).toContain('/api/v1/tasks');
    expect(Object.keys(openapi.paths).filter((p) => p.includes('mcp') || p.includes('well-known'))).toEqual([]);
  });

  it('does not accept sessions, as a bearer token or as the cookie', async () => {
    const { sessionToken } = await signedInUser(server().url);
    const bearer = await post(server().url, { authorization: `Bearer ${sessionToken}` });
    expect(bearer.status).toBe(401);
    expect(await bearer.json()).toMatchObject({ code: 'TOKEN_REQUIRED' });
    const cookie = await post(server().url, { cookie: `tg_session=${sessionToken}`, origin: server().url });
    expect(cookie.status).toBe(401);
    expect(await cookie.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses pages of other origins (DNS rebinding) and accepts local ones', async () => {
    const { agents } = await workspaceWithAgents(server().url);
    const authorization = `Bearer ${agents[0]!.token}`;
    const foreign = await post(server().url, { authorization, origin: 'http://rebound.example' });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED' });
    expect((await post(server().url, { authorization, origin: 'http://localhost:6274' })).status).toBe(200);
  });

  it('answers on the hijacked reply with the headers every answer carries', async () => {
    const { agents } = await workspaceWithAgents(server().url);
    const answer = await post(server().url, { authorization: `Bearer ${agents[0]!.token}`, 'x-request-id': 'mcp-test-1' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-request-id')).toBe('mcp-test-1');
    expect(answer.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('ratelimit')).toMatch(/^"default";r=\d+;t=\d+$/);
    expect(await answer.json()).toMatchObject({ jsonrpc: '2.0', id: 1, result: { serverInfo: { name: 'taskgate' } } });
  });

  it('is stateless: GET and DELETE answer 405', async () => {
    const { agents } = await workspaceWithAgents(server().url);
    for (const method of ['GET', 'DELETE']) {
      const answer = await fetch(`${server().url}/mcp`, {
        method,
        headers: { authorization: `Bearer ${agents[0]!.token}`, accept: 'text/event-stream' },
      });
      expect(answer.status).toBe(405);
      expect(answer.headers.get('allow')).toBe('POST');
    }
  });

  it('works with the MCP Inspector CLI: it lists the tools and calls whoami', async () => {
    const { agents } = await workspaceWithAgents(server().url);
    const { agent, token } = agents[0]!;
    const listed = await inspect(server().url, token, '--method', 'tools/list');
    expect((listed.tools as { name: string }[]).map((tool) => tool.name)).toEqual(
      expect.arrayContaining(['whoami', 'list_tasks', 'claim_task', 'complete_task']),
    );
    const called = await inspect(server().url, token, '--method', 'tools/call', '--tool-name', 'whoami');
    expect(called).toMatchObject({ structuredContent: { token: { kind: 'agent', agentId: agent.id } } });
  });

  it("connects with the README's client configuration, given this server's URL and a real token", async () => {
    const { taskgate } = readmeClientConfig().mcpServers;
    expect(taskgate).toMatchObject({ type: 'http', url: 'https://taskgate.example/mcp', headers: { Authorization: 'Bearer tga_…' } });
    const { agents } = await workspaceWithAgents(server().url);
    const url = taskgate!.url.replace('https://taskgate.example', server().url);
    const token = taskgate!.headers.Authorization!.replace('tga_…', agents[0]!.token).replace(/^Bearer /, '');
    const client = await mcpClient(url.replace(/\/mcp$/, ''), token);
    expect(await callOk(client, 'whoami')).toMatchObject({ token: { kind: 'agent' } });
    await client.close();
  });
});
