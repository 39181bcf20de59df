import type { AccessToken } from '@taskgate/client';

export type Role = AccessToken['scope'];
export const ROLES: readonly Role[] = ['viewer', 'team_member', 'workspace_manager', 'administrator', 'owner'];

export const ROLE_LABELS: Record<Role, string> = {
  viewer: 'Viewer',
  team_member: 'Team Member',
  workspace_manager: 'Workspace Manager',
  administrator: 'Administrator',
  owner: 'Owner',
};

const rank = (role: Role) => ROLES.indexOf(role);

/** What a member of `role` may do on this page, as the server's permissions allow it. */
export function accessTokenAbilities(role: Role | null) {
  const at = (min: Role) => role !== null && rank(role) >= rank(min);
  return {
    /** tokens:write */
    create: at('workspace_manager'),
    edit: at('workspace_manager'),
    /** tokens:manage */
    disable: at('administrator'),
    remove: at('administrator'),
    /** The scopes a new key may have: never above your own role. */
    scopes: role === null ? [] : ROLES.filter((r) => rank(r) <= rank(role)),
  };
}
