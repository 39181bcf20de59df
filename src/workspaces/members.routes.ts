import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.js';
import { authorize, requirePermission, workspaceAccess } from '../authz/authorize.js';
import type { AppContext } from '../context.js';
import { AuthErrors, ErrorResponse, Id, IdParams, ListOf, StrictObject } from '../http/schemas.js';
import { addMember, changeMemberRole, listMembers, removeMember } from './members.service.js';
import { MemberSchema, RoleSchema } from './workspaces.schemas.js';

const MemberParams = StrictObject({ id: Id, userId: Id });
const Conflict = { 409: ErrorResponse };

export function memberRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/workspaces/:id/members', {
      config: { auth: 'any' },
      schema: { tags: ['members'], summary: 'Members and their roles', params: IdParams, response: { 200: ListOf(MemberSchema), ...AuthErrors } },
    }, async (request) => {
      await authorize(ctx.db, principalOf(request), request.params.id, 'members:read');
      return { items: await listMembers(ctx.db, request.params.id), nextCursor: null };
    });

    app.post('/workspaces/:id/members', {
      config: { auth: 'any' },
      schema: {
        tags: ['members'],
        summary: 'Add an existing user by email, with a role no higher than yours',
        params: IdParams,
        body: StrictObject({ email: Type.String({ format: 'email', maxLength: 254 }), role: RoleSchema }),
        response: { 201: MemberSchema, ...AuthErrors, ...Conflict },
      },
    }, async (request, reply) => {
      const access = await authorize(ctx.db, principalOf(request), request.params.id, 'members:write');
      return reply.code(201).send(await addMember(ctx.db, access, request.body.email, request.body.role));
    });

    app.patch('/workspaces/:id/members/:userId', {
      config: { auth: 'any' },
      schema: {
        tags: ['members'],
        summary: "Change a member's role (never above your own; the last Owner stays)",
        params: MemberParams,
        body: StrictObject({ role: RoleSchema }),
        response: { 200: MemberSchema, ...AuthErrors, ...Conflict },
      },
    }, async (request) => {
      const access = await authorize(ctx.db, principalOf(request), request.params.id, 'members:write');
      return changeMemberRole(ctx.db, access, request.params.userId, request.body.role);
    });

    app.delete('/workspaces/:id/members/:userId', {
      config: { auth: 'any' },
      schema: { tags: ['members'], summary: 'Remove a member, or leave yourself', params: MemberParams, response: { 204: Type.Null(), ...AuthErrors, ...Conflict } },
    }, async (request, reply) => {
      const access = await workspaceAccess(ctx.db, principalOf(request), request.params.id);
      const leaving = access.actor.type === 'user' && access.actor.id === request.params.userId;
      if (!leaving) requirePermission(access, 'members:write');
      await removeMember(ctx.db, access, request.params.userId);
      return reply.code(204).send(null);
    });
  };
}
