import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { userOfRequest } from '../auth/authenticate.js';
import { permissionCatalogue } from '../authz/permissions.js';
import type { AppContext } from '../context.js';
import { hygieneRule } from '../credentials/hygiene.js';
import { tokenLimits } from '../credentials/limits.js';
import { PERSONAL_TOKENS } from '../credentials/policies.js';
import { withDelegations } from '../delegation/delegation.service.js';
import { Conflict, Forbidden, IdParams, ListOf, NotFound } from '../http/schemas.js';
import { PermissionCatalogue } from '../system/system.schemas.js';
import { tokenName } from './personal-token-input.js';
import {
  CreateTokenBody,
  IssuedTokenSchema,
  ListedTokenSchema,
  RevokedTokens,
  RotateTokenBody,
  TokenListQuery,
  TokenSchema,
  UpdateTokenBody,
} from './personal-tokens.schemas.js';
import {
  createPersonalToken,
  getPersonalToken,
  listPersonalTokens,
  revokeAllPersonalTokens,
  revokePersonalToken,
  rotatePersonalToken,
  updatePersonalToken,
  type TokenOwner,
} from './personal-tokens.service.js';

// Only a signed-in session manages tokens: a token can never mint, widen or revoke tokens.
const MANAGE = { auth: 'session', refuseTokensWith: 'TOKEN_CANNOT_MANAGE_TOKENS' } as const;
const SESSION_ONLY = 'From a signed-in session only: API tokens get 403 TOKEN_CANNOT_MANAGE_TOKENS.';

function ownerOf(request: FastifyRequest): TokenOwner {
  return { userId: userOfRequest(request).id, ip: request.ip };
}

/**
 * The API promises the messages of a wrong `name` word for word (see `tokenName`), so it is checked
 * before the schema, which would word them its own way; the schema then sees the name trimmed, as it
 * will be stored. A body that is no object is left to the schema to refuse.
 */
function nameCheckedFirst(required: boolean) {
  return async (request: FastifyRequest) => {
    const body: unknown = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
    const fields = body as Record<string, unknown>;
    if (required || fields.name !== undefined) fields.name = tokenName(fields.name);
  };
}

export function personalTokenRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  const limits = tokenLimits(ctx.config, PERSONAL_TOKENS.limits);
  const hygiene = hygieneRule(ctx.config);
  return async (app) => {
    app.get(
      '/tokens/permissions',
      {
        config: MANAGE,
        schema: {
          tags: ['tokens'],
          operationId: 'tokens.permissions',
          summary: 'The permissions a token can hold, grouped by category',
          description: `${SESSION_ONLY} The same catalogue as GET /permissions: a token's \`permissions\` are names from it.`,
          response: { 200: PermissionCatalogue },
        },
      },
      async () => ({ categories: permissionCatalogue() }),
    );

    app.post(
      '/tokens',
      {
        config: MANAGE,
        schema: {
          tags: ['tokens'],
          operationId: 'tokens.create',
          summary: 'Create a personal access token; the secret is in this response only',
          description:
            `${SESSION_ONLY} The token acts as you, within your role in each workspace, narrowed to the permissions and ` +
            'projects given. Needs at least one pro or team workspace: 409 WORKSPACE_REQUIRED when you belong to no workspace, 403 ' +
            'PLAN_UPGRADE_REQUIRED when all of yours are on the free plan, 409 TOKEN_LIMIT_REACHED when you already hold the ' +
            "instance's maximum of working tokens. The secret (`token`) is never shown again.",
          body: CreateTokenBody,
          response: { 201: IssuedTokenSchema, ...Forbidden, ...Conflict },
        },
        preValidation: nameCheckedFirst(true),
      },
      async (request, reply) => reply.code(201).send(await createPersonalToken(ctx.db, limits, ownerOf(request), request.body)),
    );

    app.get(
      '/tokens',
      {
        config: MANAGE,
        schema: {
          tags: ['tokens'],
          operationId: 'tokens.list',
          summary: 'Your personal access tokens, newest first',
          description:
            `${SESSION_ONLY} Revoked and expired tokens are listed too (see \`status\`), unless \`status\` asks for one kind; ` +
            '`q` keeps the tokens whose name contains it, in any case. Secrets are never listed. Paged: pass `nextCursor` as `cursor`.',
          querystring: TokenListQuery,
          response: { 200: ListOf(ListedTokenSchema) },
        },
      },
      async (request) => {
        const page = await listPersonalTokens(ctx.db, ctx.usage, hygiene, ownerOf(request), {
          ...request.query,
          limit: request.query.limit ?? 50,
        });
        return withDelegations(ctx.db, ctx.usage, 'personal', page);
      },
    );

    app.get(
      '/tokens/:id',
      {
        config: MANAGE,
        schema: {
          tags: ['tokens'],
          operationId: 'tokens.get',
          summary: 'One of your tokens',
          description: `${SESSION_ONLY} 404: no token of yours has this id.`,
          params: IdParams,
          response: { 200: TokenSchema, ...NotFound },
        },
      },
      async (request) => getPersonalToken(ctx.db, ctx.usage, ownerOf(request), request.params.id),
    );

    app.patch(
      '/tokens/:id',
      {
        config: MANAGE,
        schema: {
          tags: ['tokens'],
          operationId: 'tokens.update',
          summary: 'Rename a token or change its permissions, projects, expiry or rate limit',
          description:
            `${SESSION_ONLY} Only the fields sent change, within the same limits as creation; the secret stays the same. ` +
            '404: no token of yours has this id; 409: the token is revoked or expired.',
          params: IdParams,
          body: UpdateTokenBody,
          response: { 200: TokenSchema, ...NotFound, ...Conflict },
        },
        preValidation: nameCheckedFirst(false),
      },
      async (request) => updatePersonalToken(ctx.db, limits, ownerOf(request), request.params.id, request.body),
    );

    app.delete(
      '/tokens/:id',
      {
        config: MANAGE,
        schema: {
          tags: ['tokens'],
          operationId: 'tokens.revoke',
          summary: 'Revoke a token: it stops working on the next request',
          description:
            `${SESSION_ONLY} The token stays listed as revoked. Revoking a revoked token changes nothing; 404: no token of ` +
            `yours has this id.`,
          params: IdParams,
          response: { 204: Type.Null(), ...NotFound },
        },
      },
      async (request, reply) => {
        await revokePersonalToken(ctx.db, ownerOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    // Revoking everything is its own, unmistakable request: never a DELETE on the collection, which a
    // client building `/tokens/${id}` with an empty id would send by mistake.
    app.post(
      '/tokens/revoke-all',
      {
        config: MANAGE,
        schema: {
          tags: ['tokens'],
          operationId: 'tokens.revokeAll',
          summary: 'Revoke all your tokens',
          description:
            `${SESSION_ONLY} Every personal token of yours not yet revoked stops working on its next request, including any ` +
            `old secret still in a rotation's grace period. It takes no body.`,
          response: { 200: RevokedTokens },
        },
      },
      async (request) => ({ revoked: await revokeAllPersonalTokens(ctx.db, ownerOf(request)) }),
    );

    app.post(
      '/tokens/:id/rotate',
      {
        config: MANAGE,
        schema: {
          tags: ['tokens'],
          operationId: 'tokens.rotate',
          summary: 'Issue a new secret for a token; the old one stops now or after a grace period (max 24 h)',
          description:
            `${SESSION_ONLY} The token keeps its id and settings; the new secret is shown this once. The body may be omitted. ` +
            '404: no token of yours has this id; 409: the token is revoked or expired, or was rotated at the same moment (try again).',
          params: IdParams,
          body: RotateTokenBody,
          response: { 200: IssuedTokenSchema, ...NotFound, ...Conflict },
        },
      },
      async (request) => rotatePersonalToken(ctx.db, ownerOf(request), request.params.id, request.body.graceSeconds ?? 0),
    );
  };
}
