import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.js';
import { authorize, requireCovers } from '../authz/authorize.js';
import { AGENT_PERMISSIONS } from '../authz/role-permissions.js';
import type { AppContext } from '../context.js';
import { hygieneRule } from '../credentials/hygiene.js';
import { tokenLimits } from '../credentials/limits.js';
import { AGENT_TOKENS } from '../credentials/policies.js';
import { withDelegations } from '../delegation/delegation.service.js';
import { Conflict, Forbidden, IdParams, ListOf, NotFound } from '../http/schemas.js';
import {
  AgentListQuery,
  AgentSchema,
  AgentWithTokenSchema,
  CreateAgentBody,
  ListedAgentSchema,
  ReissueTokenBody,
  UpdateAgentBody,
} from './agents.schemas.js';
import { agentView, authorizeAgent, deleteAgent, listAgents, registerAgent, updateAgent } from './agents.service.js';
import { reissueAgentToken, revokeAgentTokens } from './agent-tokens.service.js';

// Any principal may call these: the team API key registers agents, agents list each other; authorisation decides.
const ANY = { auth: 'any' } as const;
const TAGS = ['agents'];
const TOKENS_NEED_A_PLAN = 'API tokens get 403 PLAN_UPGRADE_REQUIRED in a free workspace';
const WRITE =
  'Needs agents:write: an Administrator or Owner session, or the team API key (an administrator- or owner-scoped workspace token)';
const UNKNOWN_AGENT = '404: no such agent, or not in a workspace you belong to';

export function agentRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  const limits = tokenLimits(ctx.config, AGENT_TOKENS.limits);
  const hygiene = hygieneRule(ctx.config);
  return async (app) => {
    app.get(
      '/workspaces/:id/agents',
      {
        config: ANY,
        schema: {
          tags: TAGS,
          operationId: 'agents.list',
          summary: "The workspace's agents, newest first",
          description:
            `Needs agents:read (any member, and agents themselves). ${TOKENS_NEED_A_PLAN}. Paged: pass \`nextCursor\` as \`cursor\`. ` +
            '404: no such workspace among yours.',
          params: IdParams,
          querystring: AgentListQuery,
          response: { 200: ListOf(ListedAgentSchema), ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        await authorize(ctx.db, principalOf(request), request.params.id, 'agents:read');
        const page = await listAgents(ctx.db, ctx.usage, hygiene, request.params.id, {
          ...request.query,
          limit: request.query.limit ?? 50,
        });
        return withDelegations(ctx.db, ctx.usage, 'agent', page);
      },
    );

    app.post(
      '/workspaces/:id/agents',
      {
        config: ANY,
        schema: {
          tags: TAGS,
          operationId: 'agents.register',
          summary: 'Register an agent; its token (tga_) is shown once',
          description:
            `${WRITE}, in a pro or team workspace (403 PLAN_UPGRADE_REQUIRED). A personal token must hold every permission ` +
            "the agent would get (403 PERMISSION_DENIED otherwise). Its token expires after the instance's agent token lifetime; " +
            '409 TOKEN_LIMIT_REACHED when the workspace already holds its maximum of tokens and agents. 404: no such ' +
            'workspace among yours.',
          params: IdParams,
          body: CreateAgentBody,
          response: { 201: AgentWithTokenSchema, ...Forbidden, ...NotFound, ...Conflict },
        },
      },
      async (request, reply) => {
        const access = await authorize(ctx.db, principalOf(request), request.params.id, 'agents:write');
        requireCovers(access, AGENT_PERMISSIONS, 'register an agent');
        return reply.code(201).send(await registerAgent(ctx.db, { access, ip: request.ip }, request.body, limits));
      },
    );

    app.get(
      '/agents/:id',
      {
        config: ANY,
        schema: {
          tags: TAGS,
          operationId: 'agents.get',
          summary: 'One agent',
          description: `Needs agents:read in the agent's workspace. ${TOKENS_NEED_A_PLAN}. ${UNKNOWN_AGENT}.`,
          params: IdParams,
          response: { 200: AgentSchema, ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        const { agent } = await authorizeAgent(ctx.db, principalOf(request), request.params.id, 'agents:read');
        return agentView(ctx.db, agent.id, ctx.usage);
      },
    );

    app.patch(
      '/agents/:id',
      {
        config: ANY,
        schema: {
          tags: TAGS,
          operationId: 'agents.update',
          summary: 'Rename an agent, change its description, or disable and re-enable it',
          description:
            `${WRITE}. ${TOKENS_NEED_A_PLAN}. Its token is unchanged. A disabled agent's token is refused (401 TOKEN_DISABLED) ` +
            'from its next request; agents are disabled by themselves when the member who registered them leaves or is blocked ' +
            '(`disabledReason`). Re-enabling (`enabled: true`, which needs every permission the agent holds) makes you its creator. ' +
            `${UNKNOWN_AGENT}.`,
          params: IdParams,
          body: UpdateAgentBody,
          response: { 200: AgentSchema, ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        const { access, agent } = await authorizeAgent(ctx.db, principalOf(request), request.params.id, 'agents:write');
        if (request.body.enabled === true) requireCovers(access, AGENT_PERMISSIONS, 're-enable an agent');
        return updateAgent(ctx.db, { access, ip: request.ip }, agent.id, request.body);
      },
    );

    app.delete(
      '/agents/:id',
      {
        config: ANY,
        schema: {
          tags: TAGS,
          operationId: 'agents.delete',
          summary: 'Delete an agent; its token stops working at once',
          description: `${WRITE}. ${TOKENS_NEED_A_PLAN}. Tasks assigned to or claimed by the agent are released. ${UNKNOWN_AGENT}.`,
          params: IdParams,
          response: { 204: Type.Null(), ...Forbidden, ...NotFound },
        },
      },
      async (request, reply) => {
        const { access, agent } = await authorizeAgent(ctx.db, principalOf(request), request.params.id, 'agents:write');
        await deleteAgent(ctx.db, { access, ip: request.ip }, agent.id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/agents/:id/token',
      {
        config: ANY,
        schema: {
          tags: TAGS,
          operationId: 'agents.reissueToken',
          summary: 'Issue the agent a new token (shown once); the old one stops at once or after graceSeconds (max 24 h)',
          description:
            `${WRITE}, in a pro or team workspace (403 PLAN_UPGRADE_REQUIRED); a personal token must hold every permission ` +
            `the agent's token grants. The body may be omitted. ${UNKNOWN_AGENT}.`,
          params: IdParams,
          body: ReissueTokenBody,
          response: { 201: AgentWithTokenSchema, ...Forbidden, ...NotFound },
        },
      },
      async (request, reply) => {
        const { access, agent } = await authorizeAgent(ctx.db, principalOf(request), request.params.id, 'agents:write');
        requireCovers(access, AGENT_PERMISSIONS, "issue an agent's token");
        return reply
          .code(201)
          .send(await reissueAgentToken(ctx.db, { access, ip: request.ip }, agent.id, limits.maxLifetimeMs, request.body.graceSeconds));
      },
    );

    app.delete(
      '/agents/:id/token',
      {
        config: ANY,
        schema: {
          tags: TAGS,
          operationId: 'agents.revokeToken',
          summary: "Revoke the agent's token without issuing another",
          description:
            `${WRITE}. ${TOKENS_NEED_A_PLAN}. The agent is refused from its next request, until a token is reissued; ` +
            `revoking when it has none changes nothing. ${UNKNOWN_AGENT}.`,
          params: IdParams,
          response: { 204: Type.Null(), ...Forbidden, ...NotFound },
        },
      },
      async (request, reply) => {
        const { access, agent } = await authorizeAgent(ctx.db, principalOf(request), request.params.id, 'agents:write');
        await revokeAgentTokens(ctx.db, { access, ip: request.ip }, agent.id);
        return reply.code(204).send(null);
      },
    );
  };
}
