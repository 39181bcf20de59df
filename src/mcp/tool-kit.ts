import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyRequest } from 'fastify';
import type * as z from 'zod';
import type { Permission } from '../authz/permissions.js';
import type { Principal, PrincipalKind } from '../authz/principal.js';
import type { AppContext } from '../context.js';
import { grantedPermissions } from './grants.js';
import type { ObjectSchema } from './rest-schemas.js';

/** What a tool runs with: the one request it answers and the caller authentication established for it. */
export interface ToolContext {
  ctx: AppContext;
  principal: Principal;
  request: FastifyRequest;
}

/** A tool's answer: the structured result (checked against its output schema) and a line or two for the model. */
interface ToolAnswer<Output> {
  data: Output;
  summary: string;
}

export interface TaskgateTool<Input extends ObjectSchema = ObjectSchema, Output extends ObjectSchema = ObjectSchema> {
  /** Part of the interface: clients and prompts call tools by name. */
  name: string;
  title: string;
  /** Written for a model: when to use it and what it returns. */
  description: string;
  /** The permission the tool needs; null when any caller may use it. Decides whether the tool is listed. */
  permission: Permission | null;
  /** Kinds of caller that can never use it even when they hold the permission (a workspace token cannot claim). */
  refusedKinds?: readonly PrincipalKind[];
  annotations?: ToolAnnotations;
  input: Input;
  output: Output;
  run(tc: ToolContext, args: z.output<Input>): Promise<ToolAnswer<z.output<Output>>>;
}

/** The annotations of a tool that only reads Taskgate. */
export const READ_ONLY: ToolAnnotations = { readOnlyHint: true, openWorldHint: false };

/** Declares a tool, keeping its input and output types tied to its schemas. */
export function defineTool<Input extends ObjectSchema, Output extends ObjectSchema>(tool: TaskgateTool<Input, Output>): TaskgateTool {
  return tool as unknown as TaskgateTool;
}

/** Whether the caller's token could ever use the tool, in some workspace, under some role of its owner. */
export function couldUse(principal: Principal, tool: Pick<TaskgateTool, 'permission' | 'refusedKinds'>): boolean {
  if (tool.refusedKinds?.includes(principal.kind)) return false;
  return tool.permission === null || grantedPermissions(principal).has(tool.permission);
}
