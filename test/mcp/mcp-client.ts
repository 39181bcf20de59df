import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import { userWithProject } from '../client/server.js';

/** The SDK's own client, connected over Streamable HTTP to a server's /mcp with a bearer token (through `fetchVia`, when given). */
export async function mcpClient(baseUrl: string, token: string, fetchVia?: FetchLike): Promise<Client> {
  const client = new Client({ name: 'taskgate-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', baseUrl), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
    ...(fetchVia ? { fetch: fetchVia } : {}),
  });
  await client.connect(transport);
  return client;
}

/** Calls a tool and hands back the result, listing the tools first so the client checks outputs against their schemas. */
export async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** The structured result of a call that must succeed. */
export async function callOk<T = Record<string, unknown>>(client: Client, name: string, args: Record<string, unknown> = {}): Promise<T> {
  const result = await call(client, name, args);
  expect(result.isError, textOf(result)).toBeFalsy();
  expect(textOf(result).length).toBeGreaterThan(0);
  return result.structuredContent as T;
}

/** The text of a call that must fail as a tool error (never a protocol error). */
export async function callRefused(client: Client, name: string, args: Record<string, unknown> = {}): Promise<string> {
  const result = await call(client, name, args);
  expect(result.isError).toBe(true);
  return textOf(result);
}

export function textOf(result: CallToolResult): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

export async function toolNames(client: Client): Promise<string[]> {
  return (await client.listTools()).tools.map((tool) => tool.name).sort();
}

/** A user with a workspace, a project, and an agent registered there (with its token). */
export async function workspaceWithAgents(baseUrl: string, agentNames: string[] = ['Worker']) {
  const setup = await userWithProject(baseUrl);
  const agents = [];
  for (const name of agentNames) agents.push(await setup.tg.agents.register(setup.workspace.id, { name }));
  return { ...setup, agents };
}
