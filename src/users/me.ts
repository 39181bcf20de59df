import { PERMISSION_NAMES } from '../authz/permissions.js';
import type { Principal } from '../authz/principal.js';
import { AGENT_PERMISSIONS, ROLE_PERMISSIONS } from '../authz/role-permissions.js';
import type { Db } from '../db/database.js';
import { getUser, toPublicUser } from './users.service.js';

/** What `GET /me` says about the caller: the user (if any) and, for a token, what it holds. */
export async function describeCaller(db: Db, principal: Principal) {
  switch (principal.kind) {
    case 'session':
      return { ...toPublicUser(await getUser(db, principal.user.id)), token: null };
    case 'personal_token':
      return {
        ...toPublicUser(await getUser(db, principal.user.id)),
        token: {
          id: principal.token.id,
          name: principal.token.name,
          kind: 'personal' as const,
          workspaceId: null,
          // Narrowed further, per workspace, by the owner's role at the time of each request.
          permissions: [...(principal.token.permissions ?? PERMISSION_NAMES)],
          projectIds: principal.token.projectIds ? [...principal.token.projectIds] : null,
        },
      };
    case 'workspace_token':
      return {
        id: null, email: null, name: principal.token.label, isAdmin: false, blocked: false, createdAt: null,
        token: {
          id: principal.token.id, name: principal.token.label, kind: 'workspace' as const, workspaceId: principal.token.workspaceId,
          permissions: [...ROLE_PERMISSIONS[principal.token.scope]], projectIds: null,
        },
      };
    case 'agent':
      return {
        id: null, email: null, name: principal.agent.name, isAdmin: false, blocked: false, createdAt: null,
        token: {
          id: principal.agent.tokenId, name: principal.agent.name, kind: 'agent' as const, workspaceId: principal.agent.workspaceId,
          agentId: principal.agent.id, permissions: [...AGENT_PERMISSIONS], projectIds: null,
        },
      };
  }
}
