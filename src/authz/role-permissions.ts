import { PERMISSION_NAMES, PERMISSIONS, type Permission } from './permissions.js';
import { ROLES, roleAtLeast, type Role } from './roles.js';

function permissionsOf(role: Role): ReadonlySet<Permission> {
  return new Set(PERMISSION_NAMES.filter((p) => roleAtLeast(role, PERMISSIONS[p].minRole)));
}

/** The role → permissions map, derived once from each permission's least role. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = Object.fromEntries(
  ROLES.map((role) => [role, permissionsOf(role)]),
) as Record<Role, ReadonlySet<Permission>>;

/** What an agent token may do in its workspace, whoever registered it. */
export const AGENT_PERMISSIONS: ReadonlySet<Permission> = new Set(PERMISSION_NAMES.filter((p) => 'agent' in PERMISSIONS[p]));
