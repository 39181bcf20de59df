import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.js';
import { authorize, requireCovers } from '../authz/authorize.js';
import { AGENT_PERMISSIONS } from '../authz/role-permissions.js';
import type { AppContext } from '../context.js';
import { AuthErrors, IdParams, ListOf, Pagination, StrictObject } from '../http/schemas.js';
import { AgentSchema, AgentWithTokenSchema, CreateAgentBody, ReissueTokenBody, UpdateAgentBody } from './agents.schemas.js';
import { agentView, authorizeAgent, deleteAgent, listAgents, registerAgent, updateAgent } from './agents.service.js';
import { reissueAgentToken, revokeAgentTokens } from './agent-tokens.service.js';

// Any principal may call these: the team API key registers agents, agents list each other; authorisation decides.
const ANY = { auth: 'any' } as const;
const TAGS = ['agents'];

export function agentRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/workspaces/:id/agents', {
      config: ANY,
      schema: { tags: TAGS, summary: "The workspace's agents, newest first", params: IdParams, querystring: StrictObject(Pagination), response: { 200: ListOf(AgentSchema), ...AuthErrors } },
    }, async (request) => {
      await authorize(ctx.db, principalOf(request), request.params.id, 'agents:read');
      return listAgents(ctx.db, ctx.usage, request.params.id, { limit: request.query.limit ?? 50, cursor: request.query.cursor });
    });

    app.post('/workspaces/:id/agents', {
      config: ANY,
      schema: {
        tags: TAGS,
        summary: 'Register an agent; its token (tga_) is shown once',
        description: 'Needs agents:write: an Administrator or Owner session, or the team API key (an administrator- or owner-scoped workspace token).',
        params: IdParams,
        body: CreateAgentBody,
        response: { 201: AgentWithTokenSchema, ...AuthErrors },
      },
    }, async (request, reply) => {
      const access = await authorize(ctx.db, principalOf(request), request.params.id, 'agents:write');
      requireCovers(access, AGENT_PERMISSIONS, 'register an agent');
      return reply.code(201).send(await registerAgent(ctx.db, { access, ip: request.ip }, request.body));
    });

    app.get('/agents/:id', {
      config: ANY,
      schema: { tags: TAGS, summary: 'One agent', params: IdParams, response: { 200: AgentSchema, ...AuthErrors } },
    }, async (request) => {
      const { agent } = await authorizeAgent(ctx.db, principalOf(request), request.params.id, 'agents:read');
      return agentView(ctx.db, agent.id, ctx.usage);
    });

    app.patch('/agents/:id', {
      config: ANY,
      schema: { tags: TAGS, summary: "Rename an agent or change its description", params: IdParams, body: UpdateAgentBody, response: { 200: AgentSchema, ...AuthErrors } },
    }, async (request) => {
      const { access, agent } = await authorizeAgent(ctx.db, principalOf(request), request.params.id, 'agents:write');
      return updateAgent(ctx.db, { access, ip: request.ip }, agent.id, request.body);
    });

    app.delete('/agents/:id', {
      config: ANY,
      schema: { tags: TAGS, summary: 'Delete an agent; its token stops working at once', params: IdParams, response: { 204: Type.Null(), ...AuthErrors } },
    }, async (request, reply) => {
      const { access, agent } = await authorizeAgent(ctx.db, principalOf(request), request.params.id, 'agents:write');
      await deleteAgent(ctx.db, { access, ip: request.ip }, agent.id);
      return reply.code(204).send(null);
    });

    app.post('/agents/:id/token', {
      config: ANY,
      schema: {
        tags: TAGS,
        summary: 'Issue the agent a new token (shown once); the old one stops at once or after graceSeconds (max 24 h)',
        params: IdParams,
        body: ReissueTokenBody,
        response: { 201: AgentWithTokenSchema, ...AuthErrors },
      },
      // A reissue without a grace period may come with no body at all.
      preValidation: async (request) => {
        request.body ??= {};
      },
    }, async (request, reply) => {
      const { access, agent } = await authorizeAgent(ctx.db, principalOf(request), request.params.id, 'agents:write');
      requireCovers(access, AGENT_PERMISSIONS, "issue an agent's token");
      return reply.code(201).send(await reissueAgentToken(ctx.db, { access, ip: request.ip }, agent.id, request.body.graceSeconds));
    });

    app.delete('/agents/:id/token', {
      config: ANY,
      schema: { tags: TAGS, summary: "Revoke the agent's token without issuing another", params: IdParams, response: { 204: Type.Null(), ...AuthErrors } },
    }, async (request, reply) => {
      const { access, agent } = await authorizeAgent(ctx.db, principalOf(request), request.params.id, 'agents:write');
      await revokeAgentTokens(ctx.db, { access, ip: request.ip }, agent.id);
      return reply.code(204).send(null);
    });
  };
}
