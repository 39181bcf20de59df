import type { Permission } from './permissions.js';
import type { Role } from './roles.js';

export interface AuthUser {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  createdAt: string;
}

export interface PersonalTokenGrant {
  id: string;
  name: string;
  /** null: everything the owner's role allows. */
  permissions: readonly Permission[] | null;
  /** null: every project the owner can see. */
  projectIds: readonly string[] | null;
  rateLimitPerMinute: number | null;
  expiresAt: string;
}

interface WorkspaceTokenGrant {
  id: string;
  label: string;
  workspaceId: string;
  scope: Role;
  rateLimitPerMinute: number | null;
  /** null: it never expires. */
  expiresAt: string | null;
}

interface AgentGrant {
  id: string;
  name: string;
  workspaceId: string;
  tokenId: string;
  /** When a reissued token's grace ends; null while it is the agent's current token. */
  expiresAt: string | null;
}

/**
 * What a delegated token (`tgd_`, delegation/) narrows its root's principal to: the intersection of every link of
 * its chain. Authorisation refuses what it leaves out with `refusedBy: 'delegation_scope'`.
 */
export interface DelegationScope {
  /** The delegated token the request was made with. */
  tokenId: string;
  name: string;
  /** 1 for a child of a root token. */
  depth: number;
  /** null: whatever the root holds. */
  permissions: readonly Permission[] | null;
  /** null: whatever projects the root reaches. */
  projectIds: readonly string[] | null;
  /** The one task it may act on; null: any. */
  taskId: string | null;
  /** The earliest expiry along the chain. */
  expiresAt: string;
  /** `{ kind, id }` from the root to this token, for audit entries. */
  chain: readonly { kind: string; id: string }[];
}

/** Who is making a request, as established by authentication; a delegated token is its root's principal, narrowed. */
export type Principal =
  | { kind: 'session'; user: AuthUser; sessionId: string; expiresAt: string }
  | { kind: 'personal_token'; user: AuthUser; token: PersonalTokenGrant; delegation?: DelegationScope }
  | { kind: 'workspace_token'; token: WorkspaceTokenGrant; delegation?: DelegationScope }
  | { kind: 'agent'; agent: AgentGrant; delegation?: DelegationScope };

export type PrincipalKind = Principal['kind'];

/** When the credential behind a principal stops working (sent as Taskgate-Token-Expires), or null. */
export function credentialExpiry(principal: Principal): string | null {
  if (principal.kind !== 'session' && principal.delegation) return principal.delegation.expiresAt;
  switch (principal.kind) {
    case 'session':
      return principal.expiresAt;
    case 'personal_token':
    case 'workspace_token':
      return principal.token.expiresAt;
    case 'agent':
      return principal.agent.expiresAt;
  }
}

/** Who events, audit entries and `created_by` columns name. */
export interface Actor {
  type: 'user' | 'agent' | 'workspace_token';
  id: string;
}

export function actorOf(principal: Principal): Actor {
  switch (principal.kind) {
    case 'session':
    case 'personal_token':
      return { type: 'user', id: principal.user.id };
    case 'workspace_token':
      return { type: 'workspace_token', id: principal.token.id };
    case 'agent':
      return { type: 'agent', id: principal.agent.id };
  }
}

/** The user behind a principal, when there is one (workspace and agent tokens have none). */
export function userOf(principal: Principal): AuthUser | null {
  return principal.kind === 'session' || principal.kind === 'personal_token' ? principal.user : null;
}
