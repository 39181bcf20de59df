import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.js';
import { authorize, workspaceAccess } from '../authz/authorize.js';
import type { AppContext } from '../context.js';
import { Conflict, Forbidden, IdParams, ListOf, NotFound } from '../http/schemas.js';
import { hygieneRule } from '../credentials/hygiene.js';
import { tokenLimits } from '../credentials/limits.js';
import { WORKSPACE_TOKENS } from '../credentials/policies.js';
import { withDelegations } from '../delegation/delegation.service.js';
import {
  CreateWorkspaceTokenBody,
  IssuedWorkspaceTokenSchema,
  ListedWorkspaceTokenSchema,
  UpdateWorkspaceTokenBody,
  WorkspaceTokenListQuery,
  WorkspaceTokenParams,
  WorkspaceTokenSchema,
} from './workspace-tokens.schemas.js';
import { createWorkspaceToken, deleteWorkspaceToken, listWorkspaceTokens, updateWorkspaceToken } from './workspace-tokens.service.js';

// Tokens never manage tokens: a leaked token must not be able to mint or revive others.
const SESSION_ONLY = { auth: 'session', refuseTokensWith: 'TOKEN_CANNOT_MANAGE_TOKENS' } as const;
const TAGS = ['access-tokens'];
const FROM_A_SESSION = 'From a signed-in session only: API tokens get 403 TOKEN_CANNOT_MANAGE_TOKENS.';
const NOT_FOUND = '404: no such workspace among yours';

export function workspaceTokenRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  const limits = tokenLimits(ctx.config, WORKSPACE_TOKENS.limits);
  const hygiene = hygieneRule(ctx.config);
  return async (app) => {
    app.get(
      '/workspaces/:id/access-tokens',
      {
        config: SESSION_ONLY,
        schema: {
          tags: TAGS,
          operationId: 'accessTokens.list',
          summary: "The workspace's access tokens, newest first (never a secret or hash)",
          description:
            `${FROM_A_SESSION} Needs tokens:read. Disabled and expired tokens are listed too (see \`status\`). ` +
            `Paged: pass \`nextCursor\` as \`cursor\`. ${NOT_FOUND}.`,
          params: IdParams,
          querystring: WorkspaceTokenListQuery,
          response: { 200: ListOf(ListedWorkspaceTokenSchema), ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        await authorize(ctx.db, principalOf(request), request.params.id, 'tokens:read');
        const page = await listWorkspaceTokens(ctx.db, ctx.usage, hygiene, request.params.id, {
          ...request.query,
          limit: request.query.limit ?? 50,
        });
        return withDelegations(ctx.db, ctx.usage, 'workspace', page);
      },
    );

    app.post(
      '/workspaces/:id/access-tokens',
      {
        config: SESSION_ONLY,
        schema: {
          tags: TAGS,
          operationId: 'accessTokens.create',
          summary: 'Create a workspace access token (tgw_) acting with one role; the token is shown once',
          description:
            `${FROM_A_SESSION} Needs tokens:write, a pro or team plan (403 PLAN_UPGRADE_REQUIRED), and a scope no higher ` +
            'than your own role (403 ROLE_ESCALATION). A token with administrator or owner scope is the team API key: it can create ' +
            'tasks, manage projects, register agents and configure webhooks. It always expires (by default at the latest the ' +
            'instance allows); 409 TOKEN_LIMIT_REACHED when the workspace already holds its maximum of tokens and agents. ' +
            `It is disabled (\`disabledReason\`) when its creator leaves the workspace or is blocked. ${NOT_FOUND}.`,
          params: IdParams,
          body: CreateWorkspaceTokenBody,
          response: { 201: IssuedWorkspaceTokenSchema, ...Forbidden, ...NotFound, ...Conflict },
        },
      },
      async (request, reply) => {
        const access = await authorize(ctx.db, principalOf(request), request.params.id, 'tokens:write');
        return reply.code(201).send(await createWorkspaceToken(ctx.db, { access, ip: request.ip }, request.body, limits));
      },
    );

    app.patch(
      '/workspaces/:id/access-tokens/:tokenId',
      {
        config: SESSION_ONLY,
        schema: {
          tags: TAGS,
          operationId: 'accessTokens.update',
          summary: 'Edit a token (label, scope, expiry, rate limit, IP allowlist), or disable and re-enable it',
          description:
            `${FROM_A_SESSION} Editing needs tokens:write, disabling or enabling tokens:manage; nobody changes a token ` +
            'scoped above their own role, or raises one above it (403 ROLE_ESCALATION). A disabled token is refused from its ' +
            'next request. Re-enabling a token makes you its responsible creator (`createdBy`), whatever disabled it. ' +
            '404: no such workspace among yours, or no such token in it.',
          params: WorkspaceTokenParams,
          body: UpdateWorkspaceTokenBody,
          response: { 200: WorkspaceTokenSchema, ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        // Which permission applies depends on the fields sent; the service checks them.
        const access = await workspaceAccess(ctx.db, principalOf(request), request.params.id);
        return updateWorkspaceToken(ctx.db, { access, ip: request.ip }, request.params.tokenId, request.body, limits);
      },
    );

    app.delete(
      '/workspaces/:id/access-tokens/:tokenId',
      {
        config: SESSION_ONLY,
        schema: {
          tags: TAGS,
          operationId: 'accessTokens.delete',
          summary: 'Delete a token: it stops working at once',
          description:
            `${FROM_A_SESSION} Needs tokens:manage, and a role at least the token's scope (403 ROLE_ESCALATION). ` +
            'The token is gone for good (disable it to keep it). 404: no such workspace among yours, or no such token in it.',
          params: WorkspaceTokenParams,
          response: { 204: Type.Null(), ...Forbidden, ...NotFound },
        },
      },
      async (request, reply) => {
        const access = await authorize(ctx.db, principalOf(request), request.params.id, 'tokens:manage');
        await deleteWorkspaceToken(ctx.db, { access, ip: request.ip }, request.params.tokenId);
        return reply.code(204).send(null);
      },
    );
  };
}
