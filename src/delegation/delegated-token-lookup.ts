import type { Permission } from '../authz/permissions.js';
import { credentialExpiry, type DelegationScope, type Principal } from '../authz/principal.js';
import type { Db } from '../db/database.js';
import { cachedRead } from '../db/read-cache.js';
import { parsePermissionList, parseStringList } from '../personal-tokens/personal-token-view.js';
import type { DelegationParentKind } from './tables.js';

// A credential lookup runs on every request: compiled once (see db/read-cache.ts).
/** The delegated token with this hash: one indexed point read, at most one row. */
export const findDelegatedTokensByHash = cachedRead((db: Db, tokenHash: string) =>
  db
    .selectFrom('delegated_tokens')
    .select([
      'id',
      'name',
      'parent_kind',
      'parent_id',
      'parent_token_hash',
      'root_kind',
      'root_id',
      'workspace_id',
      'user_id',
      'chain',
      'depth',
      'permissions',
      'project_ids',
      'task_id',
      'expires_at',
      'revoked_at',
    ])
    .where('token_hash', '=', tokenHash),
);

export type DelegatedTokenLookupRow = Awaited<ReturnType<typeof findDelegatedTokensByHash>>[number];

/** One link of a chain, as audit entries name it. */
export interface ChainLink {
  kind: DelegationParentKind;
  id: string;
}

export function parseChain(json: string): ChainLink[] {
  return JSON.parse(json) as ChainLink[];
}

/** Both limits at once: null is "no limit"; two lists keep what both hold. */
function intersect<T extends string>(above: readonly T[] | null, own: readonly T[] | null): readonly T[] | null {
  if (above === null) return own;
  if (own === null) return above;
  return own.filter((item) => above.includes(item));
}

function earlier(a: string, b: string | null): string {
  return b !== null && b < a ? b : a;
}

/**
 * The principal a working delegated token grants: its parent's (the root's principal, already narrowed by the
 * links above) narrowed by its own permissions, projects and task. Its parent was resolved, and checked, first.
 */
export function delegatedTokenPrincipal(row: DelegatedTokenLookupRow, parent: Principal | null): Principal {
  if (parent === null || parent.kind === 'session') throw new Error(`Delegated token ${row.id} resolved without a parent`);
  const above = parent.delegation;
  const ownTask = row.task_id;
  const aboveTask = above?.taskId ?? null;
  // Two different tasks have nothing in common: such a link reaches nothing (minting refuses it anyway).
  const disjoint = ownTask !== null && aboveTask !== null && ownTask !== aboveTask;
  const permissions = intersect<Permission>(above?.permissions ?? null, parsePermissionList(row.permissions));
  const delegation: DelegationScope = {
    tokenId: row.id,
    name: row.name,
    depth: row.depth,
    permissions: disjoint ? [] : permissions,
    projectIds: intersect(above?.projectIds ?? null, parseStringList(row.project_ids)),
    taskId: ownTask ?? aboveTask,
    expiresAt: earlier(row.expires_at, credentialExpiry(parent)),
    chain: parseChain(row.chain),
  };
  return { ...parent, delegation };
}
