import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf, userOfRequest } from '../auth/authenticate.js';
import { authorize } from '../authz/authorize.js';
import { MePermissionsQuery, MePermissionsSchema } from '../authz/me-permissions.schemas.js';
import { authorizeAgent } from '../agents/agents.service.js';
import type { AppContext } from '../context.js';
import { tokenLimits } from '../credentials/limits.js';
import { PERSONAL_TOKENS, WORKSPACE_TOKENS } from '../credentials/policies.js';
import { Conflict, Forbidden, IdParams, NotFound } from '../http/schemas.js';
import { WorkspaceTokenParams } from '../workspace-tokens/workspace-tokens.schemas.js';
import { NarrowBody, ProjectQuery, TokenNarrowingSchema, TokenUsageSchema } from './token-usage.schemas.js';
import {
  agentSubject,
  explainAgent,
  explainPersonalToken,
  explainWorkspaceToken,
  narrowAgent,
  narrowPersonalToken,
  narrowWorkspaceToken,
  personalSubject,
  tokenUsage,
  workspaceTokenRow,
  workspaceTokenSubject,
} from './token-usage.service.js';

// Like their sibling token routes: only a signed-in session looks into or narrows a token.
const MANAGE = { auth: 'session', refuseTokensWith: 'TOKEN_CANNOT_MANAGE_TOKENS' } as const;
const SESSION_ONLY = 'From a signed-in session only: API tokens get 403 TOKEN_CANNOT_MANAGE_TOKENS.';
const COUNTED =
  'Uses are what authorisation let through, counted per permission, project and UTC day over the last 30 days (today ' +
  'included); they are written in batches, so the newest may show only on the process that served them.';
const NARROWING =
  '`dryRun: true` previews; otherwise it is applied as the PATCH would be (same checks, event and audit entry). `applied` ' +
  'says whether the token changed. 409 CONFLICT when the token was not used at all in those 30 days (nothing to narrow it ' +
  'to: revoke it instead).';
const NO_TOKEN = '404: no token of yours has this id.';
const EXPLAINED = "The same answer as GET /me/permissions, for that token as its credential (`credential` names the token's kind).";

export function tokenUsageRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  const personalLimits = tokenLimits(ctx.config, PERSONAL_TOKENS.limits);
  const workspaceLimits = tokenLimits(ctx.config, WORKSPACE_TOKENS.limits);
  return async (app) => {
    app.get(
      '/tokens/:id/usage',
      {
        config: MANAGE,
        schema: {
          tags: ['tokens'],
          operationId: 'tokens.usage',
          summary: 'Which of its permissions and projects one of your tokens used in the last 30 days',
          description: `${SESSION_ONLY} ${COUNTED} Granted: what the token may do in any of your workspaces. ${NO_TOKEN}`,
          params: IdParams,
          response: { 200: TokenUsageSchema, ...NotFound },
        },
      },
      async (request) => {
        const { subject } = await personalSubject(ctx.db, userOfRequest(request).id, request.params.id);
        return tokenUsage(ctx.db, ctx.tokenUses, subject);
      },
    );

    app.post(
      '/tokens/:id/narrow',
      {
        config: MANAGE,
        schema: {
          tags: ['tokens'],
          operationId: 'tokens.narrow',
          summary: 'Narrow one of your tokens to the permissions and projects it used in the last 30 days',
          description:
            `${SESSION_ONLY} Keeps only the permissions the token used and, when it is limited to some projects, the projects ` +
            `it used (a list no use touched is kept). ${NARROWING} 404: no token of yours has this id; 409 also when it is revoked ` +
            'or expired.',
          params: IdParams,
          body: NarrowBody,
          response: { 200: TokenNarrowingSchema, ...NotFound, ...Conflict },
        },
      },
      async (request) => {
        const owner = { userId: userOfRequest(request).id, ip: request.ip };
        const dryRun = request.body?.dryRun === true;
        return narrowPersonalToken(ctx.db, ctx.tokenUses, personalLimits, owner, request.params.id, dryRun);
      },
    );

    app.get(
      '/tokens/:id/permissions',
      {
        config: MANAGE,
        schema: {
          tags: ['tokens'],
          operationId: 'tokens.explainPermissions',
          summary: 'What one of your tokens may do in a workspace (and project), layer by layer',
          description: `${SESSION_ONLY} ${EXPLAINED} 404: no token of yours has this id, or no such workspace among yours.`,
          params: IdParams,
          querystring: MePermissionsQuery,
          response: { 200: MePermissionsSchema, ...NotFound },
        },
      },
      async (request) => {
        const { workspaceId, projectId } = request.query;
        return explainPersonalToken(ctx.db, userOfRequest(request), request.params.id, workspaceId, projectId);
      },
    );

    const NO_ACCESS_TOKEN = '404: no such workspace among yours, or no such token in it.';
    app.get(
      '/workspaces/:id/access-tokens/:tokenId/usage',
      {
        config: MANAGE,
        schema: {
          tags: ['access-tokens'],
          operationId: 'accessTokens.usage',
          summary: 'Which permissions and projects a workspace token used in the last 30 days',
          description: `${SESSION_ONLY} Needs tokens:read. ${COUNTED} Granted: its scope's permissions. ${NO_ACCESS_TOKEN}`,
          params: WorkspaceTokenParams,
          response: { 200: TokenUsageSchema, ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        await authorize(ctx.db, principalOf(request), request.params.id, 'tokens:read');
        const row = await workspaceTokenRow(ctx.db, request.params.id, request.params.tokenId);
        return tokenUsage(ctx.db, ctx.tokenUses, workspaceTokenSubject(row));
      },
    );

    app.post(
      '/workspaces/:id/access-tokens/:tokenId/narrow',
      {
        config: MANAGE,
        schema: {
          tags: ['access-tokens'],
          operationId: 'accessTokens.narrow',
          summary: "Narrow a workspace token's scope to the narrowest role covering what it used in the last 30 days",
          description:
            `${SESSION_ONLY} Needs tokens:write, and a role at least the token's scope to apply it (403 ROLE_ESCALATION). A workspace ` +
            `token has no project list: only its scope narrows, never above what it is. ${NARROWING} ${NO_ACCESS_TOKEN}`,
          params: WorkspaceTokenParams,
          body: NarrowBody,
          response: { 200: TokenNarrowingSchema, ...Forbidden, ...NotFound, ...Conflict },
        },
      },
      async (request) => {
        const access = await authorize(ctx.db, principalOf(request), request.params.id, 'tokens:write');
        const dryRun = request.body?.dryRun === true;
        const caller = { access, ip: request.ip };
        return narrowWorkspaceToken(ctx.db, ctx.tokenUses, workspaceLimits, caller, request.params.tokenId, dryRun);
      },
    );

    app.get(
      '/workspaces/:id/access-tokens/:tokenId/permissions',
      {
        config: MANAGE,
        schema: {
          tags: ['access-tokens'],
          operationId: 'accessTokens.explainPermissions',
          summary: 'What a workspace token may do in its workspace (and a project), layer by layer',
          description: `${SESSION_ONLY} Needs tokens:read. ${EXPLAINED} ${NO_ACCESS_TOKEN}`,
          params: WorkspaceTokenParams,
          querystring: ProjectQuery,
          response: { 200: MePermissionsSchema, ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        await authorize(ctx.db, principalOf(request), request.params.id, 'tokens:read');
        const row = await workspaceTokenRow(ctx.db, request.params.id, request.params.tokenId);
        return explainWorkspaceToken(ctx.db, row, request.query.projectId);
      },
    );

    const UNKNOWN_AGENT = '404: no such agent, or not in a workspace you belong to.';
    app.get(
      '/agents/:id/usage',
      {
        config: MANAGE,
        schema: {
          tags: ['agents'],
          operationId: 'agents.usage',
          summary: 'Which permissions and projects an agent used in the last 30 days',
          description:
            `${SESSION_ONLY} Needs agents:read. ${COUNTED} Uses are the agent's, whichever of its tokens made them; granted: ` +
            `the agent matrix. ${UNKNOWN_AGENT}`,
          params: IdParams,
          response: { 200: TokenUsageSchema, ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        const { agent } = await authorizeAgent(ctx.db, principalOf(request), request.params.id, 'agents:read');
        return tokenUsage(ctx.db, ctx.tokenUses, agentSubject(agent));
      },
    );

    app.post(
      '/agents/:id/narrow',
      {
        config: MANAGE,
        schema: {
          tags: ['agents'],
          operationId: 'agents.narrow',
          summary: 'Narrow an agent to what it used (nothing of an agent narrows: the answer says so)',
          description:
            `${SESSION_ONLY} Needs agents:write. An agent holds the fixed agent matrix and reaches every project of its ` +
            'workspace: it has no permissions or project list of its own to narrow, so the answer is always `applied: false` ' +
            `with nothing removed (see GET /agents/{id}/usage for what it used). ${UNKNOWN_AGENT}`,
          params: IdParams,
          body: NarrowBody,
          response: { 200: TokenNarrowingSchema, ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        await authorizeAgent(ctx.db, principalOf(request), request.params.id, 'agents:write');
        return narrowAgent();
      },
    );

    app.get(
      '/agents/:id/permissions',
      {
        config: MANAGE,
        schema: {
          tags: ['agents'],
          operationId: 'agents.explainPermissions',
          summary: 'What an agent may do in its workspace (and a project), layer by layer',
          description: `${SESSION_ONLY} Needs agents:read. ${EXPLAINED} ${UNKNOWN_AGENT}`,
          params: IdParams,
          querystring: ProjectQuery,
          response: { 200: MePermissionsSchema, ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        const { agent } = await authorizeAgent(ctx.db, principalOf(request), request.params.id, 'agents:read');
        return explainAgent(ctx.db, agent, request.query.projectId);
      },
    );
  };
}
