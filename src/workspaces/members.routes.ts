import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.js';
import { authorize, workspaceAccess } from '../authz/authorize.js';
import type { AppContext } from '../context.js';
import { Conflict, Forbidden, Id, IdOf, IdParams, ListOf, NotFound, StrictObject } from '../http/schemas.js';
import { changeMemberRole, listMembers, removeMember } from './members.service.js';
import { MemberChangesBody, MemberSchema } from './workspaces.schemas.js';

const MemberParams = StrictObject({ id: Id, userId: IdOf("The member's user id") });

export function memberRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/workspaces/:id/members',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['members'],
          operationId: 'members.list',
          summary: 'Members and their roles',
          description: 'Needs `members:read`. Oldest membership first; one page holds them all (`nextCursor` is always null).',
          params: IdParams,
          response: { 200: ListOf(MemberSchema), ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        await authorize(ctx.db, principalOf(request), request.params.id, 'members:read');
        return { items: await listMembers(ctx.db, request.params.id), nextCursor: null };
      },
    );

    app.patch(
      '/workspaces/:id/members/:userId',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['members'],
          operationId: 'members.update',
          summary: "Change a member's role (never above your own; the last Owner stays)",
          description:
            "Needs `members:write`, and a role at or above both the member's current role and the new one (403 " +
            'ROLE_ESCALATION otherwise). Demoting the last Owner answers 409 LAST_OWNER.',
          params: MemberParams,
          body: MemberChangesBody,
          response: { 200: MemberSchema, ...Forbidden, ...NotFound, ...Conflict },
        },
      },
      async (request) => {
        const access = await authorize(ctx.db, principalOf(request), request.params.id, 'members:write');
        return changeMemberRole(ctx.db, access, request.params.userId, request.body.role);
      },
    );

    app.delete(
      '/workspaces/:id/members/:userId',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['members'],
          operationId: 'members.remove',
          summary: 'Remove a member, or leave yourself',
          description:
            'Removing someone else needs `members:write` and a role at or above theirs. Leaving (your own user id) needs a ' +
            'signed-in session, or a personal token holding `members:write` and not limited to some projects (403 otherwise). ' +
            'The last Owner cannot go (409 LAST_OWNER). The workspace access tokens and agents the member created are disabled ' +
            '(`disabledReason: creator_removed`) in the same change; an administrator may re-enable them.',
          params: MemberParams,
          response: { 204: Type.Null(), ...Forbidden, ...NotFound, ...Conflict },
        },
      },
      async (request, reply) => {
        // Which permission applies depends on whom is removed (leaving or not); the service checks it.
        const access = await workspaceAccess(ctx.db, principalOf(request), request.params.id);
        await removeMember(ctx.db, { access, ip: request.ip }, request.params.userId);
        return reply.code(204).send(null);
      },
    );
  };
}
