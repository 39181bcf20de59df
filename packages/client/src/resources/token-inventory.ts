import { pathId, type CallOptions, type Core, type QueryOf } from '../core.js';
import type { InventoryToken } from '../generated/names.js';

const workspace = (id: string) => ({ id: pathId(id, 'A workspace id') });

/** The kinds of token the inventory lists. */
export type InventoryTokenKind = InventoryToken['kind'];

/**
 * Every token that can reach a workspace (its access tokens, its agents' tokens, its members' personal tokens), masked:
 * for workspace owners and instance admins, from a signed-in session.
 */
export class TokenInventoryResource {
  constructor(private readonly core: Core) {}

  list(workspaceId: string, query: QueryOf<'/api/v1/workspaces/{id}/token-inventory', 'get'> = {}, options?: CallOptions) {
    return this.core.paginate((cursor) =>
      this.core.send(
        this.core.api.GET('/api/v1/workspaces/{id}/token-inventory', {
          params: { path: workspace(workspaceId), query: { ...query, cursor } },
          ...this.core.init(options),
        }),
      ),
    );
  }

  /** Revokes any of them; it is refused from its next request. Answers the token as now listed (revoked). */
  revoke(workspaceId: string, kind: InventoryTokenKind, tokenId: string, options?: CallOptions) {
    const path = { ...workspace(workspaceId), kind, tokenId: pathId(tokenId, 'A token id') };
    return this.core.send(
      this.core.api.POST('/api/v1/workspaces/{id}/token-inventory/{kind}/{tokenId}/revoke', {
        params: { path },
        ...this.core.init(options),
      }),
    );
  }
}
