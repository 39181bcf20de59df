import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.js';
import { authorize, workspaceAccess } from '../authz/authorize.js';
import type { AppContext } from '../context.js';
import { AuthErrors, IdParams, ListOf, Pagination, StrictObject } from '../http/schemas.js';
import { AccessTokenParams, AccessTokenSchema, CreateAccessTokenBody, CreatedAccessTokenSchema, UpdateAccessTokenBody } from './access-tokens.schemas.js';
import type { TokenLimits } from './credential-rules.js';
import { createAccessToken, deleteAccessToken, listAccessTokens, updateAccessToken } from './access-tokens.service.js';

// Tokens never manage tokens: a leaked token must not be able to mint or revive others.
const SESSION_ONLY = { auth: 'session', refuseTokensWith: 'TOKEN_CANNOT_MANAGE_TOKENS' } as const;
const TAGS = ['access tokens'];

export function accessTokenRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  const limits: TokenLimits = { maxLifetimeMs: ctx.config.tokenMaxLifetimeMs, maxRateLimitPerMinute: ctx.config.tokenRateLimitPerMinute };
  return async (app) => {
    app.get('/workspaces/:id/access-tokens', {
      config: SESSION_ONLY,
      schema: {
        tags: TAGS,
        summary: "The workspace's access tokens, newest first (never a secret or hash)",
        params: IdParams,
        querystring: StrictObject(Pagination),
        response: { 200: ListOf(AccessTokenSchema), ...AuthErrors },
      },
    }, async (request) => {
      await authorize(ctx.db, principalOf(request), request.params.id, 'tokens:read');
      return listAccessTokens(ctx.db, ctx.usage, request.params.id, { limit: request.query.limit ?? 50, cursor: request.query.cursor });
    });

    app.post('/workspaces/:id/access-tokens', {
      config: SESSION_ONLY,
      schema: {
        tags: TAGS,
        summary: 'Create a workspace access token (tgw_) acting with one role; the token is shown once',
        description: 'A token with administrator or owner scope is the team API key: it can create tasks, manage projects, register agents and configure webhooks.',
        params: IdParams,
        body: CreateAccessTokenBody,
        response: { 201: CreatedAccessTokenSchema, ...AuthErrors },
      },
    }, async (request, reply) => {
      const access = await authorize(ctx.db, principalOf(request), request.params.id, 'tokens:write');
      return reply.code(201).send(await createAccessToken(ctx.db, { access, ip: request.ip }, request.body, limits));
    });

    app.patch('/workspaces/:id/access-tokens/:tokenId', {
      config: SESSION_ONLY,
      schema: {
        tags: TAGS,
        summary: 'Edit a token (label, scope, expiry, rate limit), or disable and re-enable it',
        params: AccessTokenParams,
        body: UpdateAccessTokenBody,
        response: { 200: AccessTokenSchema, ...AuthErrors },
      },
    }, async (request) => {
      // Which permission applies depends on the fields sent; the service checks them.
      const access = await workspaceAccess(ctx.db, principalOf(request), request.params.id);
      return updateAccessToken(ctx.db, { access, ip: request.ip }, request.params.tokenId, request.body, limits);
    });

    app.delete('/workspaces/:id/access-tokens/:tokenId', {
      config: SESSION_ONLY,
      schema: { tags: TAGS, summary: 'Delete a token: it stops working at once', params: AccessTokenParams, response: { 204: Type.Null(), ...AuthErrors } },
    }, async (request, reply) => {
      const access = await authorize(ctx.db, principalOf(request), request.params.id, 'tokens:manage');
      await deleteAccessToken(ctx.db, { access, ip: request.ip }, request.params.tokenId);
      return reply.code(204).send(null);
    });
  };
}
