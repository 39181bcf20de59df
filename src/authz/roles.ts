export const ROLES = ['viewer', 'team_member', 'workspace_manager', 'administrator', 'owner'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 1, team_member: 2, workspace_manager: 3, administrator: 4, owner: 5 };

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** True when `role` is `other` or above it. */
export function roleAtLeast(role: Role, other: Role): boolean {
  return RANK[role] >= RANK[other];
}
