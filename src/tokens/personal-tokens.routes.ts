import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { userOfRequest } from '../auth/authenticate.js';
import { permissionCatalogue } from '../authz/permissions.js';
import type { AppContext } from '../context.js';
import { AuthErrors, ErrorResponse, IdParams, ListOf, Pagination, StrictObject } from '../http/schemas.js';
import { PermissionCatalogueSchema } from '../system/system.routes.js';
import type { TokenLimits } from './personal-token-input.js';
import { CreateTokenBody, IssuedTokenSchema, RotateTokenBody, TokenSchema, UpdateTokenBody } from './personal-tokens.schemas.js';
import {
  createPersonalToken, getPersonalToken, listPersonalTokens, revokeAllPersonalTokens, revokePersonalToken, rotatePersonalToken,
  updatePersonalToken, type TokenOwner,
} from './personal-tokens.service.js';

// Only a signed-in session manages tokens: a token can never mint, widen or revoke tokens.
const MANAGE = { auth: 'session', refuseTokensWith: 'TOKEN_CANNOT_MANAGE_TOKENS' } as const;
const Conflict = { 409: ErrorResponse };

function ownerOf(request: FastifyRequest): TokenOwner {
  return { userId: userOfRequest(request).id, ip: request.ip };
}

export function personalTokenRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  const limits: TokenLimits = { maxLifetimeMs: ctx.config.tokenMaxLifetimeMs, maxRateLimitPerMinute: ctx.config.tokenRateLimitPerMinute };
  return async (app) => {
    app.get('/tokens/permissions', {
      config: MANAGE,
      schema: { tags: ['tokens'], summary: 'The permissions a token can hold, grouped by category', response: { 200: Type.Object({ categories: PermissionCatalogueSchema }), ...AuthErrors } },
    }, async () => ({ categories: permissionCatalogue() }));

    app.post('/tokens', {
      config: MANAGE,
      schema: {
        tags: ['tokens'],
        summary: 'Create a personal access token; the secret is in this response only',
        body: CreateTokenBody,
        response: { 201: IssuedTokenSchema, ...AuthErrors },
      },
    }, async (request, reply) => reply.code(201).send(await createPersonalToken(ctx.db, limits, ownerOf(request), request.body)));

    app.get('/tokens', {
      config: MANAGE,
      schema: { tags: ['tokens'], summary: 'Your personal access tokens, newest first', querystring: StrictObject(Pagination), response: { 200: ListOf(TokenSchema), ...AuthErrors } },
    }, async (request) => listPersonalTokens(ctx.db, ctx.usage, ownerOf(request), { ...request.query, limit: request.query.limit ?? 50 }));

    app.get('/tokens/:id', {
      config: MANAGE,
      schema: { tags: ['tokens'], summary: 'One of your tokens', params: IdParams, response: { 200: TokenSchema, ...AuthErrors } },
    }, async (request) => getPersonalToken(ctx.db, ctx.usage, ownerOf(request), request.params.id));

    app.patch('/tokens/:id', {
      config: MANAGE,
      schema: {
        tags: ['tokens'],
        summary: 'Rename a token or change its permissions, projects, expiry or rate limit',
        params: IdParams,
        body: UpdateTokenBody,
        response: { 200: TokenSchema, ...AuthErrors, ...Conflict },
      },
    }, async (request) => updatePersonalToken(ctx.db, limits, ownerOf(request), request.params.id, request.body));

    app.delete('/tokens/:id', {
      config: MANAGE,
      schema: { tags: ['tokens'], summary: 'Revoke a token: it stops working on the next request', params: IdParams, response: { 204: Type.Null(), ...AuthErrors } },
    }, async (request, reply) => {
      await revokePersonalToken(ctx.db, ownerOf(request), request.params.id);
      return reply.code(204).send(null);
    });

    app.delete('/tokens', {
      config: MANAGE,
      schema: { tags: ['tokens'], summary: 'Revoke all your tokens', response: { 200: Type.Object({ revoked: Type.Integer() }), ...AuthErrors } },
    }, async (request) => ({ revoked: await revokeAllPersonalTokens(ctx.db, ownerOf(request)) }));

    app.post('/tokens/:id/rotate', {
      config: MANAGE,
      schema: {
        tags: ['tokens'],
        summary: 'Issue a new secret for a token; the old one stops now or after a grace period (max 24 h)',
        params: IdParams,
        body: RotateTokenBody,
        response: { 200: IssuedTokenSchema, ...AuthErrors, ...Conflict },
      },
      // A rotation without options may come with no body at all.
      preValidation: async (request) => {
        request.body ??= {};
      },
    }, async (request) => rotatePersonalToken(ctx.db, ownerOf(request), request.params.id, request.body.graceSeconds ?? 0));
  };
}
