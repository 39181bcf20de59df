import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../auth/authenticate.js';
import { tokenOversight } from '../authz/authorize.js';
import type { AppContext } from '../context.js';
import { hygieneRule } from '../credentials/hygiene.js';
import { Forbidden, ListOf, NotFound } from '../http/schemas.js';
import { InventoryItemSchema, InventoryParams, InventoryQuery, InventoryTokenParams } from './token-inventory.schemas.js';
import { listTokenInventory, revokeFromInventory } from './token-inventory.service.js';

// Tokens never manage tokens: a leaked token must not be able to see or revoke others.
const SESSION_ONLY = { auth: 'session', refuseTokensWith: 'TOKEN_CANNOT_MANAGE_TOKENS' } as const;
const TAGS = ['access-tokens'];
const WHO =
  'From a signed-in session only (API tokens get 403 TOKEN_CANNOT_MANAGE_TOKENS): workspace owners (`tokens:inventory`; other ' +
  'members 403) and instance admins, members or not. 404: no such workspace among yours.';

export function tokenInventoryRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  const hygiene = hygieneRule(ctx.config);
  return async (app) => {
    app.get(
      '/workspaces/:id/token-inventory',
      {
        config: SESSION_ONLY,
        schema: {
          tags: TAGS,
          operationId: 'tokenInventory.list',
          summary: 'Every token that can reach the workspace, masked, newest first',
          description:
            `${WHO} Lists workspace access tokens, the tokens of its agents, and the personal tokens of its members that can ` +
            "reach it (not those limited to other workspaces' projects), each masked as its display prefix and `…`, never a " +
            'secret or hash. Filters combine; paged: pass `nextCursor` as `cursor`.',
          params: InventoryParams,
          querystring: InventoryQuery,
          response: { 200: ListOf(InventoryItemSchema), ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        await tokenOversight(ctx.db, principalOf(request), request.params.id);
        return listTokenInventory(ctx.db, ctx.usage, hygiene, request.params.id, { ...request.query, limit: request.query.limit ?? 50 });
      },
    );

    app.post(
      '/workspaces/:id/token-inventory/:kind/:tokenId/revoke',
      {
        config: SESSION_ONLY,
        schema: {
          tags: TAGS,
          operationId: 'tokenInventory.revoke',
          summary: 'Revoke any token that can reach the workspace; it is refused (401 TOKEN_REVOKED) from its next request',
          description:
            `${WHO} Revokes as the token's own kind does and records the same audit entry (a personal token's in its owner's ` +
            'log) and event (`access_token.revoked`, `agent.token_revoked`), naming you as the actor. An agent token is revoked ' +
            "as DELETE /agents/{id}/token does: all of the agent's working tokens stop. Revoking a revoked token changes nothing. " +
            '404 also: no such token among those that reach the workspace. Answers the token as now listed.',
          params: InventoryTokenParams,
          response: { 200: InventoryItemSchema, ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        const access = await tokenOversight(ctx.db, principalOf(request), request.params.id);
        const { kind, tokenId } = request.params;
        return revokeFromInventory(ctx.db, ctx.usage, hygiene, { access, ip: request.ip }, kind, tokenId);
      },
    );
  };
}
