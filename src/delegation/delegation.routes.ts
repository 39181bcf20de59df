import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.js';
import type { AppContext } from '../context.js';
import { Conflict, Forbidden, IdParams, NotFound } from '../http/schemas.js';
import { DelegateBody, DelegatedTokenSchema, MAX_DELEGATION_DEPTH } from './delegation.schemas.js';
import { delegate, MAX_LIVE_DELEGATIONS_PER_ROOT, revokeDelegatedToken } from './delegation.service.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The secret the request was authenticated with (a `token` route reads the Authorization header only). */
function presentedToken(request: FastifyRequest): string {
  return BEARER.exec(request.headers.authorization ?? '')?.[1] ?? '';
}

export function delegationRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/me/delegate',
      {
        config: { auth: 'token' },
        schema: {
          tags: ['tokens'],
          operationId: 'me.delegate',
          summary: 'Mint a delegated token (tgd_) for a sub-agent: a subset of the calling token, shown once',
          description:
            'API tokens only (personal, workspace, agent or delegated): a session gets 401 (UNAUTHENTICATED by cookie, ' +
            'TOKEN_REQUIRED as a bearer token). The child holds ' +
            'at most what the caller holds: each permission asked for must be held (in each project and the task asked for), ' +
            'else 403 naming `missingPermission` and the layer (`refusedBy`). It may be limited to one task (`taskId`: it ' +
            "then reaches that task's project only, and no other task). It expires after `expiresInSeconds` (default 1 hour, at " +
            'most 24 hours) and never after the caller: asking for longer is 400 INVALID_EXPIRY. A chain has at most ' +
            `${MAX_DELEGATION_DEPTH} links below its root token (403 DELEGATION_DEPTH_EXCEEDED beyond). Revoking, rotating out, ` +
            'disabling or expiring any ancestor ends it on the next request. At most ' +
            `${MAX_LIVE_DELEGATIONS_PER_ROOT} live delegated tokens per root token (409 TOKEN_LIMIT_REACHED). It spends a rate ` +
            "budget of its own, at its root token's per-minute limit.",
          body: DelegateBody,
          response: { 201: DelegatedTokenSchema, ...Forbidden, ...NotFound, ...Conflict },
        },
      },
      async (request, reply) => {
        const issued = await delegate(ctx.db, principalOf(request), presentedToken(request), request.ip, request.body);
        return reply.code(201).send(issued);
      },
    );

    app.delete(
      '/delegated-tokens/:id',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['tokens'],
          operationId: 'delegatedTokens.revoke',
          summary: 'Revoke a delegated token and every token delegated from it',
          description:
            "By session: the root personal token's owner, or a member who may manage the root workspace token (tokens:write) or " +
            'agent (agents:write). By token: its root token or one of its delegated ancestors. Anyone else gets 404, as a ' +
            'missing id does. Revoking a revoked token changes nothing.',
          params: IdParams,
          response: { 204: Type.Null(), ...NotFound },
        },
      },
      async (request, reply) => {
        await revokeDelegatedToken(ctx.db, principalOf(request), request.params.id, request.ip);
        return reply.code(204).send(null);
      },
    );
  };
}
