import type { Member } from '@taskgate/client';

export type Role = Member['role'];
/** Least to most. */
export const ROLES: readonly Role[] = ['viewer', 'team_member', 'workspace_manager', 'administrator', 'owner'];

export const ROLE_LABELS: Record<Role, string> = {
  viewer: 'Viewer',
  team_member: 'Team Member',
  workspace_manager: 'Workspace Manager',
  administrator: 'Administrator',
  owner: 'Owner',
};

export const roleRank = (role: Role) => ROLES.indexOf(role);

/** Whether `role` holds what `min` holds (the server decides; this only chooses what a page offers). */
export function atLeast(role: Role | null | undefined, min: Role): boolean {
  return role != null && roleRank(role) >= roleRank(min);
}
