import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { toJsonSchemaCompat } from '@modelcontextprotocol/sdk/server/zod-json-schema-compat.js';
import { ListToolsRequestSchema, type CallToolResult, type Tool, type ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyRequest } from 'fastify';
import * as z from 'zod';
import { requirePermission } from '../authz/authorize.js';
import { actorOf, type Principal } from '../authz/principal.js';
import { AppError } from '../errors/app-error.js';
import { asAppError } from '../errors/known-errors.js';
import { grantedPermissions } from './grants.js';
import { couldUse, type TaskgateTool, type ToolContext } from './tool-kit.js';

/** A refusal or failure as the tool error a model reads: the code, the message, and what is missing. */
function toolError(thrown: unknown, request: FastifyRequest): CallToolResult {
  // A lost race or a value the database refused is told as REST tells it (known-errors.ts).
  const err = thrown instanceof AppError ? thrown : asAppError(thrown);
  if (!err) {
    // As on the REST API: an unknown failure is logged with the request id, never echoed.
    request.log.error({ err: thrown }, 'MCP tool failed');
    return errorResult(`INTERNAL_ERROR: Something went wrong on our side (request id ${request.id})`);
  }
  const notes: string[] = [];
  const { missingPermission, claimedBy, currentVersion } = err.details as {
    missingPermission?: string;
    claimedBy?: { type: string; id: string };
    currentVersion?: number;
  };
  if (missingPermission) notes.push(`missing permission: ${missingPermission}`);
  if (claimedBy) notes.push(`claimed by ${claimedBy.type} ${claimedBy.id}`);
  if (currentVersion !== undefined) notes.push(`current version: ${currentVersion}`);
  return errorResult(`${err.code}: ${err.message}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`);
}

function errorResult(text: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }] };
}

// An unlisted tool takes whatever it is given: its answer is the refusal, not a complaint about arguments.
const ANY_ARGUMENTS = z.looseObject({});

/** Why the caller can never use a tool: its kind is refused, or the permission is one its token does not grant. */
function neverAllowed(principal: Principal, tool: TaskgateTool): AppError {
  if (tool.refusedKinds?.includes(principal.kind)) {
    return new AppError('FORBIDDEN', `${tool.name} is for people and agents: a workspace access token is a team key and cannot use it`, {
      refusedBy: 'token_permissions',
    });
  }
  // The refusal `authorize()` gives a caller without the permission, worded by the one function that words it.
  const projectIds = principal.kind === 'personal_token' && principal.token.projectIds ? new Set(principal.token.projectIds) : null;
  try {
    requirePermission(
      {
        workspaceId: '',
        plan: '',
        role: null,
        permissions: grantedPermissions(principal),
        projectIds,
        actor: actorOf(principal),
        principal,
      },
      tool.permission!,
    );
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  return new AppError('FORBIDDEN', `This token cannot use ${tool.name}`, { refusedBy: 'token_permissions' });
}

function annotationsOf(tool: TaskgateTool): ToolAnnotations {
  return { title: tool.title, ...tool.annotations };
}

// Tool definitions as tools/list gives them, with their JSON Schemas: the same for every caller.
const definitions = new WeakMap<TaskgateTool, Tool>();

function definitionOf(tool: TaskgateTool): Tool {
  let definition = definitions.get(tool);
  if (!definition) {
    definition = {
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: toJsonSchemaCompat(tool.input, { strictUnions: true, pipeStrategy: 'input' }) as Tool['inputSchema'],
      outputSchema: toJsonSchemaCompat(tool.output, { strictUnions: true, pipeStrategy: 'output' }) as Tool['outputSchema'],
      annotations: annotationsOf(tool),
    };
    definitions.set(tool, definition);
  }
  return definition;
}

/**
 * Registers every tool on a server built for one request, and lists only those the caller could ever
 * use. A tool it cannot use still answers a call, with the tool error of the missing permission (as
 * `authorize()` words it), whatever the arguments: a model that calls it anyway learns why.
 */
export function registerTools(server: McpServer, tools: readonly TaskgateTool[], tc: ToolContext): void {
  const listed: TaskgateTool[] = [];
  for (const tool of tools) {
    const usable = couldUse(tc.principal, tool);
    if (usable) listed.push(tool);
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: usable ? tool.input : ANY_ARGUMENTS,
        outputSchema: tool.output,
        annotations: annotationsOf(tool),
      },
      async (args: Record<string, unknown>): Promise<CallToolResult> => {
        try {
          if (!usable) throw neverAllowed(tc.principal, tool);
          const { data, summary } = await tool.run(tc, args);
          return { structuredContent: data, content: [{ type: 'text', text: summary }] };
        } catch (err) {
          return toolError(err, tc.request);
        }
      },
    );
  }
  // Replaces the SDK's own list (every registered tool) with the caller's; each definition is built once per process.
  server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listed.map(definitionOf) }));
}
