import { PERMISSION_NAMES } from '../authz/permissions.js';
import { personalTokenPermissions } from '../authz/authorize.js';
import type { AuthUser, PersonalTokenGrant, Principal } from '../authz/principal.js';
import { isRole, type Role } from '../authz/roles.js';
import { AGENT_PERMISSIONS, ROLE_PERMISSIONS } from '../authz/role-permissions.js';
import type { Db } from '../db/database.js';
import { cachedRead, readsOf } from '../db/read-cache.js';
import { hotPath } from '../lib/hot-path.js';

// `/me` is what scripts call first and most: a cached point read (ADR 0001).
const paidMemberships = cachedRead((db: Db, userId: string) =>
  db
    .selectFrom('workspace_members')
    .innerJoin('workspaces', 'workspaces.id', 'workspace_members.workspace_id')
    .select(['workspaces.id', 'workspaces.plan', 'workspace_members.role'])
    .where('workspace_members.user_id', '=', userId)
    .where('workspaces.plan', '!=', 'free')
    .orderBy('workspaces.id'),
);

/** The user as authentication just read it (no second query; a blocked user never gets this far), with the token. */
function userView<Token>(user: AuthUser, token: Token) {
  return { id: user.id, email: user.email, name: user.name, isAdmin: user.isAdmin, blocked: false, createdAt: user.createdAt, token };
}

type MembershipRows = Awaited<ReturnType<typeof paidMemberships>>;

function personalTokenView(token: PersonalTokenGrant, memberships: MembershipRows) {
  return {
    id: token.id,
    name: token.name,
    kind: 'personal' as const,
    workspaceId: null,
    // What the token was granted; `workspaces` says what that comes to under the owner's roles now.
    permissions: [...(token.permissions ?? PERMISSION_NAMES)],
    projectIds: token.projectIds ? [...token.projectIds] : null,
    expiresAt: token.expiresAt,
    workspaces: memberships
      .filter((row): row is typeof row & { role: Role } => isRole(row.role))
      .map((row) => ({ workspaceId: row.id, role: row.role, permissions: personalTokenPermissions(row.role, token) })),
  };
}

type PersonalTokenPrincipal = Extract<Principal, { kind: 'personal_token' }>;

/**
 * On SQLite, while nothing changes, the principal (kept by the credential resolver from the token's
 * shared row) and the membership rows are the very same objects from one request to the next: the
 * answer is built once for them and shared, so its JSON is kept too (http/serializer.ts).
 */
async function describePersonalCaller(db: Db, principal: PersonalTokenPrincipal) {
  const memberships = await paidMemberships(db, principal.user.id);
  const derive = () => userView(principal.user, personalTokenView(principal.token, memberships));
  return hotPath.keptMeAnswer ? readsOf(db).keep('GET /me of a personal token', [principal, memberships], derive) : derive();
}

/** What `GET /me` says about the caller: the user (if any) and, for a token, what it holds. */
export async function describeCaller(db: Db, principal: Principal) {
  switch (principal.kind) {
    case 'session':
      return userView(principal.user, null);
    case 'personal_token':
      return describePersonalCaller(db, principal);
    case 'workspace_token':
      return {
        id: null,
        email: null,
        name: principal.token.label,
        isAdmin: false,
        blocked: false,
        createdAt: null,
        token: {
          id: principal.token.id,
          name: principal.token.label,
          kind: 'workspace' as const,
          workspaceId: principal.token.workspaceId,
          permissions: [...ROLE_PERMISSIONS[principal.token.scope]],
          projectIds: null,
          expiresAt: principal.token.expiresAt,
        },
      };
    case 'agent':
      return {
        id: null,
        email: null,
        name: principal.agent.name,
        isAdmin: false,
        blocked: false,
        createdAt: null,
        token: {
          id: principal.agent.tokenId,
          name: principal.agent.name,
          kind: 'agent' as const,
          workspaceId: principal.agent.workspaceId,
          agentId: principal.agent.id,
          permissions: [...AGENT_PERMISSIONS],
          projectIds: null,
          expiresAt: principal.agent.expiresAt,
        },
      };
  }
}
