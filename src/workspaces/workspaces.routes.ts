import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf, userOfRequest } from '../auth/authenticate.js';
import { authorize, isInstanceAdmin } from '../authz/authorize.js';
import { actorOf } from '../authz/principal.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors/app-error.js';
import { AuthErrors, ErrorResponse, IdParams, ListOf, StrictObject } from '../http/schemas.js';
import { PlanSchema, WorkspaceName, WorkspaceSchema } from './workspaces.schemas.js';
import { createWorkspace, deleteWorkspace, getWorkspace, listWorkspacesFor, toWorkspaceView, updateWorkspace } from './workspaces.service.js';

export function workspaceRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post('/workspaces', {
      config: { auth: 'session' },
      schema: {
        tags: ['workspaces'],
        summary: 'Create a workspace; you become its Owner',
        body: StrictObject({ name: WorkspaceName }),
        response: { 201: WorkspaceSchema, ...AuthErrors },
      },
    }, async (request, reply) => {
      const user = userOfRequest(request);
      const row = await createWorkspace(ctx.db, user.id, request.body.name, ctx.config.defaultPlan);
      return reply.code(201).send(toWorkspaceView(row, 'owner'));
    });

    app.get('/workspaces', {
      config: { auth: 'any' },
      schema: { tags: ['workspaces'], summary: 'The workspaces you belong to', response: { 200: ListOf(WorkspaceSchema), ...AuthErrors } },
    }, async (request) => ({ items: await listWorkspacesFor(ctx.db, principalOf(request)), nextCursor: null }));

    app.get('/workspaces/:id', {
      config: { auth: 'any' },
      schema: { tags: ['workspaces'], summary: 'One workspace', params: IdParams, response: { 200: WorkspaceSchema, ...AuthErrors } },
    }, async (request) => {
      const access = await authorize(ctx.db, principalOf(request), request.params.id, 'workspace:read');
      return toWorkspaceView(await getWorkspace(ctx.db, request.params.id), access.role);
    });

    app.patch('/workspaces/:id', {
      config: { auth: 'any' },
      schema: {
        tags: ['workspaces'],
        summary: 'Rename a workspace; an instance admin may also set its plan',
        params: IdParams,
        body: Type.Object({ name: Type.Optional(WorkspaceName), plan: Type.Optional(PlanSchema) }, { additionalProperties: false, minProperties: 1 }),
        response: { 200: WorkspaceSchema, ...AuthErrors, 409: ErrorResponse },
      },
    }, async (request) => {
      const principal = principalOf(request);
      const { name, plan } = request.body;
      const admin = isInstanceAdmin(principal);
      if (plan !== undefined && !admin) throw new AppError('ADMIN_ONLY', 'Only an instance admin can change a plan');
      // An instance admin may set a plan without being a member; a rename always needs workspace:write.
      let role: string | null = null;
      if (name !== undefined || !admin) role = (await authorize(ctx.db, principal, request.params.id, 'workspace:write')).role;
      else await getWorkspace(ctx.db, request.params.id);
      const row = await updateWorkspace(ctx.db, request.params.id, actorOf(principal), { name, plan });
      return toWorkspaceView(row, role);
    });

    app.delete('/workspaces/:id', {
      config: { auth: 'any' },
      schema: { tags: ['workspaces'], summary: 'Delete a workspace and everything in it (Owner)', params: IdParams, response: { 204: Type.Null(), ...AuthErrors } },
    }, async (request, reply) => {
      await authorize(ctx.db, principalOf(request), request.params.id, 'workspace:delete');
      await deleteWorkspace(ctx.db, request.params.id);
      return reply.code(204).send(null);
    });
  };
}

