import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.js';
import { authorize, requirePermission, workspaceAccess } from '../authz/authorize.js';
import type { AppContext } from '../context.js';
import { Conflict, Forbidden, Id, IdOf, IdParams, ListOf, NotFound, StrictObject } from '../http/schemas.js';
import { addMember, changeMemberRole, listMembers, removeMember } from './members.service.js';
import { MemberChangesBody, MemberSchema, NewMemberBody } from './workspaces.schemas.js';

const MemberParams = StrictObject({ id: Id, userId: IdOf("The member's user id") });

export function memberRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/workspaces/:id/members', {
      config: { auth: 'any' },
      schema: {
        tags: ['members'],
        operationId: 'members.list',
        summary: 'Members and their roles',
        description: 'Needs `members:read`. Oldest membership first; one page holds them all (`nextCursor` is always null).',
        params: IdParams,
        response: { 200: ListOf(MemberSchema), ...Forbidden, ...NotFound },
      },
    }, async (request) => {
      await authorize(ctx.db, principalOf(request), request.params.id, 'members:read');
      return { items: await listMembers(ctx.db, request.params.id), nextCursor: null };
    });

    app.post('/workspaces/:id/members', {
      config: { auth: 'any' },
      schema: {
        tags: ['members'],
        operationId: 'members.add',
        summary: 'Add an existing user by email, with a role no higher than yours',
        description: 'Needs `members:write`; a role above your own (or above a workspace token\'s scope) answers 403 ROLE_ESCALATION. '
          + 'The user must already have an account (404 otherwise); 409 ALREADY_MEMBER if they are in the workspace.',
        params: IdParams,
        body: NewMemberBody,
        response: { 201: MemberSchema, ...Forbidden, ...NotFound, ...Conflict },
      },
    }, async (request, reply) => {
      const access = await authorize(ctx.db, principalOf(request), request.params.id, 'members:write');
      return reply.code(201).send(await addMember(ctx.db, access, request.body.email, request.body.role));
    });

    app.patch('/workspaces/:id/members/:userId', {
      config: { auth: 'any' },
      schema: {
        tags: ['members'],
        operationId: 'members.update',
        summary: "Change a member's role (never above your own; the last Owner stays)",
        description: 'Needs `members:write`, and a role at or above both the member\'s current role and the new one (403 '
          + 'ROLE_ESCALATION otherwise). Demoting the last Owner answers 409 LAST_OWNER.',
        params: MemberParams,
        body: MemberChangesBody,
        response: { 200: MemberSchema, ...Forbidden, ...NotFound, ...Conflict },
      },
    }, async (request) => {
      const access = await authorize(ctx.db, principalOf(request), request.params.id, 'members:write');
      return changeMemberRole(ctx.db, access, request.params.userId, request.body.role);
    });

    app.delete('/workspaces/:id/members/:userId', {
      config: { auth: 'any' },
      schema: {
        tags: ['members'],
        operationId: 'members.remove',
        summary: 'Remove a member, or leave yourself',
        description: 'Removing someone else needs `members:write` and a role at or above theirs; anyone may leave (your own '
          + 'user id). The last Owner cannot go (409 LAST_OWNER).',
        params: MemberParams,
        response: { 204: Type.Null(), ...Forbidden, ...NotFound, ...Conflict },
      },
    }, async (request, reply) => {
      const access = await workspaceAccess(ctx.db, principalOf(request), request.params.id);
      const leaving = access.actor.type === 'user' && access.actor.id === request.params.userId;
      if (!leaving) requirePermission(access, 'members:write');
      await removeMember(ctx.db, access, request.params.userId);
      return reply.code(204).send(null);
    });
  };
}
