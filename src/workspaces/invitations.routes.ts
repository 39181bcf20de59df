import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf, userOfRequest } from '../auth/authenticate.js';
import { authorize } from '../authz/authorize.js';
import type { AppContext } from '../context.js';
import { Conflict, Forbidden, Id, IdParams, ListOf, NotFound, Pagination, StrictObject } from '../http/schemas.js';
import {
  acceptInvitation,
  declineInvitation,
  invitationsFor,
  inviteMember,
  listInvitations,
  revokeInvitation,
} from './invitations.service.js';
import { InvitationSchema, MemberSchema, NewInvitationBody } from './workspaces.schemas.js';

const TAGS = ['members'];
const SAME_ANSWER = 'The answer is the same whether or not an account uses the address, so it reveals nothing about who is registered.';
const CREATE_DESCRIPTION =
  "Needs `members:write`; a role above your own (or above a workspace token's scope) answers 403 ROLE_ESCALATION. " +
  `${SAME_ANSWER} The invitee sees it in \`GET /me/invitations\` and becomes a member only by accepting it, before it expires. ` +
  'Inviting an address again while its invitation is pending renews it (role, expiry). 409 ALREADY_MEMBER: the address ' +
  'belongs to a member.';

// The old direct "add a member by email" path stays for existing scripts, but it invites too: nobody
// joins a workspace without accepting.
const CREATE_ROUTES = [
  {
    path: '/workspaces/:id/invitations',
    operationId: 'invitations.create',
    summary: 'Invite someone by email, with a role no higher than yours',
    deprecated: false,
  },
  {
    path: '/workspaces/:id/members',
    operationId: 'members.add',
    summary: 'Deprecated: invites the address (see invitations.create); nobody is added without accepting',
    deprecated: true,
  },
] as const;

const InvitationParams = StrictObject({ id: Id, invitationId: Id });
// An invitee answers from a signed-in session: joining a workspace is not something an API token decides.
const INVITEE = { auth: 'session' } as const;
const NOT_YOURS =
  "404: no such invitation addressed to you (someone else's answers the same); 409 INVITATION_NOT_PENDING: already answered, " +
  'revoked or expired (`status` says which).';

export function invitationRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    for (const route of CREATE_ROUTES) {
      app.post(
        route.path,
        {
          config: { auth: 'any' },
          schema: {
            tags: TAGS,
            operationId: route.operationId,
            summary: route.summary,
            description: CREATE_DESCRIPTION,
            ...(route.deprecated ? { deprecated: true } : {}),
            params: IdParams,
            body: NewInvitationBody,
            response: { 201: InvitationSchema, ...Forbidden, ...NotFound, ...Conflict },
          },
        },
        async (request, reply) => {
          const access = await authorize(ctx.db, principalOf(request), request.params.id, 'members:write');
          return reply
            .code(201)
            .send(await inviteMember(ctx.db, access, request.body.email, request.body.role, ctx.config.invitationTtlMs));
        },
      );
    }

    app.get(
      '/workspaces/:id/invitations',
      {
        config: { auth: 'any' },
        schema: {
          tags: TAGS,
          operationId: 'invitations.list',
          summary: "The workspace's invitations, newest first",
          description: 'Needs `members:write`. Every status is listed (see `status`). Paged: pass `nextCursor` as `cursor`.',
          params: IdParams,
          querystring: StrictObject(Pagination),
          response: { 200: ListOf(InvitationSchema), ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        await authorize(ctx.db, principalOf(request), request.params.id, 'members:write');
        return listInvitations(ctx.db, request.params.id, { limit: request.query.limit ?? 50, cursor: request.query.cursor });
      },
    );

    app.delete(
      '/workspaces/:id/invitations/:invitationId',
      {
        config: { auth: 'any' },
        schema: {
          tags: TAGS,
          operationId: 'invitations.revoke',
          summary: 'Withdraw a pending invitation',
          description:
            'Needs `members:write` and a role at least the one it offers (403 ROLE_ESCALATION). 404: no such invitation ' +
            'in this workspace; 409 INVITATION_NOT_PENDING: it was already answered or revoked.',
          params: InvitationParams,
          response: { 204: Type.Null(), ...Forbidden, ...NotFound, ...Conflict },
        },
      },
      async (request, reply) => {
        const access = await authorize(ctx.db, principalOf(request), request.params.id, 'members:write');
        await revokeInvitation(ctx.db, access, request.params.invitationId);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/me/invitations',
      {
        config: { auth: 'user' },
        schema: {
          tags: TAGS,
          operationId: 'invitations.listMine',
          summary: 'Invitations addressed to your email that you can still accept',
          description: 'A session or a personal token. Pending, unexpired invitations only, newest first; one page holds them all.',
          response: { 200: ListOf(InvitationSchema) },
        },
      },
      async (request) => ({ items: await invitationsFor(ctx.db, userOfRequest(request)), nextCursor: null }),
    );

    app.post(
      '/invitations/:id/accept',
      {
        config: INVITEE,
        schema: {
          tags: TAGS,
          operationId: 'invitations.accept',
          summary: 'Accept an invitation: you join the workspace with its role',
          description:
            `From a signed-in session (API tokens get 403 SESSION_REQUIRED). ${NOT_YOURS} 409 ALREADY_MEMBER: you are in the ` +
            `workspace already.`,
          params: IdParams,
          response: { 200: MemberSchema, ...NotFound, ...Conflict },
        },
      },
      async (request) => acceptInvitation(ctx.db, userOfRequest(request), request.params.id),
    );

    app.post(
      '/invitations/:id/decline',
      {
        config: INVITEE,
        schema: {
          tags: TAGS,
          operationId: 'invitations.decline',
          summary: 'Decline an invitation',
          description: `From a signed-in session (API tokens get 403 SESSION_REQUIRED). ${NOT_YOURS}`,
          params: IdParams,
          response: { 204: Type.Null(), ...NotFound, ...Conflict },
        },
      },
      async (request, reply) => {
        await declineInvitation(ctx.db, userOfRequest(request), request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}
