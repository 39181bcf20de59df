import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { registerPrompts } from './prompts.js';
import { registerResources } from './resources.js';
import type { ToolContext } from './tool-kit.js';
import { registerTools } from './tool-registry.js';
import { TOOLS } from './tools/index.js';

const INSTRUCTIONS =
  'Taskgate is a task tracker. Call whoami first to learn your workspace and permissions. ' +
  'To work: list_tasks (status "todo") → claim_task → do the work → complete_task with a result note; ' +
  'release_task gives back a task you cannot finish. Errors name their code, e.g. TASK_ALREADY_CLAIMED or the missing permission.';

// One validator for the process: the SDK's Server would otherwise build a fresh Ajv instance per request.
const jsonSchemaValidator = new AjvJsonSchemaValidator();

/**
 * An MCP server for one request of one caller: it lists only what that caller's token could use, and
 * every tool acts as that caller. Built per request, so nothing of it outlives the request (stateless).
 */
export function mcpServerFor(tc: ToolContext, version: string): McpServer {
  const server = new McpServer({ name: 'taskgate', title: 'Taskgate', version }, { instructions: INSTRUCTIONS, jsonSchemaValidator });
  registerTools(server, TOOLS, tc);
  registerResources(server, tc);
  registerPrompts(server, tc);
  return server;
}
