import type { Role } from '../authz/roles.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf, userOfRequest } from '../auth/authenticate.js';
import { authorize, isInstanceAdmin } from '../authz/authorize.js';
import { actorOf } from '../authz/principal.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors/app-error.js';
import { Forbidden, IdParams, ListOf, NotFound } from '../http/schemas.js';
import { NewWorkspaceBody, WorkspaceChangesBody, WorkspaceSchema } from './workspaces.schemas.js';
import {
  createWorkspace,
  deleteWorkspace,
  getWorkspace,
  listWorkspacesFor,
  toWorkspaceView,
  updateWorkspace,
} from './workspaces.service.js';

export function workspaceRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/workspaces',
      {
        config: { auth: 'session' },
        schema: {
          tags: ['workspaces'],
          operationId: 'workspaces.create',
          summary: 'Create a workspace; you become its Owner',
          description: "Signed-in users only (a session, not an API token). The workspace starts on the instance's default plan.",
          body: NewWorkspaceBody,
          response: { 201: WorkspaceSchema },
        },
      },
      async (request, reply) => {
        const user = userOfRequest(request);
        const row = await createWorkspace(ctx.db, user.id, request.body.name, ctx.config.defaultPlan);
        return reply.code(201).send(toWorkspaceView(row, 'owner'));
      },
    );

    app.get(
      '/workspaces',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['workspaces'],
          operationId: 'workspaces.list',
          summary: 'The workspaces you belong to',
          description:
            'A session sees every membership; a personal token only the workspaces it may read (pro or team plan, ' +
            '`workspace:read`). A workspace access token sees its own workspace; an agent token is refused (403). ' +
            'One page holds them all: `nextCursor` is always null.',
          response: { 200: ListOf(WorkspaceSchema), ...Forbidden },
        },
      },
      async (request) => ({ items: await listWorkspacesFor(ctx.db, principalOf(request)), nextCursor: null }),
    );

    app.get(
      '/workspaces/:id',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['workspaces'],
          operationId: 'workspaces.get',
          summary: 'One workspace',
          description: 'Needs `workspace:read`. A workspace you are not in answers 404, as a missing one does.',
          params: IdParams,
          response: { 200: WorkspaceSchema, ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        const access = await authorize(ctx.db, principalOf(request), request.params.id, 'workspace:read');
        return toWorkspaceView(await getWorkspace(ctx.db, request.params.id), access.role);
      },
    );

    app.patch(
      '/workspaces/:id',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['workspaces'],
          operationId: 'workspaces.update',
          summary: 'Rename a workspace; an instance admin may also set its plan',
          description:
            "A rename needs `workspace:write`. Setting `plan` needs an instance admin's session (403 ADMIN_ONLY " +
            'otherwise), who need not be a member to change the plan alone.',
          params: IdParams,
          body: WorkspaceChangesBody,
          response: { 200: WorkspaceSchema, ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { name, plan } = request.body;
        const admin = isInstanceAdmin(principal);
        if (plan !== undefined && !admin) throw new AppError('ADMIN_ONLY', 'Only an instance admin can change a plan');
        // An instance admin may set a plan without being a member; a rename always needs workspace:write.
        let role: Role | null = null;
        if (name !== undefined || !admin) role = (await authorize(ctx.db, principal, request.params.id, 'workspace:write')).role;
        else await getWorkspace(ctx.db, request.params.id);
        const row = await updateWorkspace(ctx.db, request.params.id, actorOf(principal), { name, plan });
        return toWorkspaceView(row, role);
      },
    );

    app.delete(
      '/workspaces/:id',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['workspaces'],
          operationId: 'workspaces.delete',
          summary: 'Delete a workspace and everything in it (Owner)',
          description:
            'Needs `workspace:delete` (Owners only; never a project-scoped token). Spaces, projects, tasks, labels, ' +
            'tokens, agents, webhooks and events go with it, and cannot be recovered.',
          params: IdParams,
          response: { 204: Type.Null(), ...Forbidden, ...NotFound },
        },
      },
      async (request, reply) => {
        await authorize(ctx.db, principalOf(request), request.params.id, 'workspace:delete');
        await deleteWorkspace(ctx.db, request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}
