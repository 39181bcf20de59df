import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError, type ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import type { Variables } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
import { authorizeById } from '../authz/authorize-by-id.js';
import type { Permission } from '../authz/permissions.js';
import { AppError, notFound } from '../errors/app-error.js';
import { asAppError } from '../errors/known-errors.js';
import { PROJECT, toProjectView } from '../projects/projects.service.js';
import { authorizeTask } from '../tasks/task-access.js';
import { loadTaskView } from '../tasks/task-views.js';
import { couldUse, type ToolContext } from './tool-kit.js';

// The MCP code for "no such resource" (the specification's, not among the SDK's JSON-RPC codes).
const RESOURCE_NOT_FOUND = -32002;

interface TaskgateResource {
  name: string;
  /** Built once per process: registering it per request costs nothing then. */
  template: ResourceTemplate;
  title: string;
  description: string;
  permission: Permission;
  read(tc: ToolContext, id: string): Promise<unknown>;
}

const RESOURCES: readonly TaskgateResource[] = [
  {
    name: 'task',
    template: new ResourceTemplate('taskgate://tasks/{id}', { list: undefined }),
    title: 'Task',
    description: 'One task as JSON, as get_task returns it',
    permission: 'tasks:read',
    async read(tc, id) {
      const { task } = await authorizeTask(tc.ctx.db, tc.principal, id, 'tasks:read');
      return loadTaskView(tc.ctx.db, task);
    },
  },
  {
    name: 'project',
    template: new ResourceTemplate('taskgate://projects/{id}', { list: undefined }),
    title: 'Project',
    description: 'One project as JSON, as list_projects returns it',
    permission: 'projects:read',
    async read(tc, id) {
      const { row: project } = await authorizeById(tc.ctx.db, tc.principal, PROJECT, id, 'projects:read');
      return toProjectView(project);
    },
  },
];

/** A refusal as the protocol error a resource read gives (resources have no "tool error" form). */
function readError(thrown: unknown, tc: ToolContext): McpError {
  // A lost race or a value the database refused is told as REST tells it (known-errors.ts).
  const err = thrown instanceof AppError ? thrown : asAppError(thrown);
  if (err) return new McpError(err.statusCode === 404 ? RESOURCE_NOT_FOUND : ErrorCode.InvalidParams, `${err.code}: ${err.message}`);
  tc.request.log.error({ err: thrown }, 'MCP resource read failed');
  return new McpError(ErrorCode.InternalError, `Something went wrong on our side (request id ${tc.request.id})`);
}

const ID = /^[A-Za-z0-9_]{1,64}$/;

/** The id in the URI, held to the shape REST ids have; anything else names nothing. */
function idOf(variables: Variables, what: string): string {
  const id = Array.isArray(variables.id) ? variables.id[0] : variables.id;
  if (id === undefined || !ID.test(id)) throw notFound(what);
  return id;
}

/** Registers the resources the caller could ever read, each read authorised as its REST route is. */
export function registerResources(server: McpServer, tc: ToolContext): void {
  for (const resource of RESOURCES) {
    if (!couldUse(tc.principal, resource)) continue;
    const meta = { title: resource.title, description: resource.description, mimeType: 'application/json' };
    server.registerResource(resource.name, resource.template, meta, async (uri, variables): Promise<ReadResourceResult> => {
      try {
        const body = await resource.read(tc, idOf(variables, resource.title));
        return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(body) }] };
      } catch (err) {
        throw readError(err, tc);
      }
    });
  }
}
