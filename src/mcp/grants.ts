import { personalTokenPermissions } from '../authz/authorize.js';
import { PERMISSION_NAMES, type Permission } from '../authz/permissions.js';
import type { Principal } from '../authz/principal.js';
import { AGENT_PERMISSIONS, ROLE_PERMISSIONS } from '../authz/role-permissions.js';

const EVERY_PERMISSION: ReadonlySet<Permission> = new Set(PERMISSION_NAMES);

/**
 * The most a caller could ever hold in a workspace: an agent's fixed set, a workspace token's scope, a
 * personal token's grant under the highest role its owner could have (its owner's actual role, which
 * varies by workspace and may change, only narrows it). Decides which tools are listed; authorisation
 * of each call is `authorize()`'s, as on the REST API.
 */
export function grantedPermissions(principal: Principal): ReadonlySet<Permission> {
  switch (principal.kind) {
    case 'agent':
      return AGENT_PERMISSIONS;
    case 'workspace_token':
      return ROLE_PERMISSIONS[principal.token.scope];
    case 'personal_token':
      return new Set(personalTokenPermissions('owner', principal.token));
    case 'session':
      return EVERY_PERMISSION;
  }
}
