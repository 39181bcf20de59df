import type { Role } from './roles.js';

export interface PermissionSpec {
  category: string;
  description: string;
  /** The least role that holds it; every role above holds it too. */
  minRole: Role;
  /** Finishes "Agent tokens cannot …" when an agent is refused. */
  action: string;
  /** Whether an agent token holds it. */
  agent?: true;
  /** Acts on the whole workspace, so a project-scoped token never holds it. */
  workspaceWide?: true;
}

/** The permission catalogue: every permission Taskgate checks, by name. */
export const PERMISSIONS = {
  'workspace:read': {
    category: 'Workspace',
    description: 'See the workspace and its settings',
    minRole: 'viewer',
    action: 'view workspace settings',
  },
  'workspace:write': {
    category: 'Workspace',
    description: 'Rename the workspace and change its settings',
    minRole: 'administrator',
    action: 'change workspace settings',
    workspaceWide: true,
  },
  'workspace:delete': {
    category: 'Workspace',
    description: 'Delete the workspace and everything in it',
    minRole: 'owner',
    action: 'delete workspaces',
    workspaceWide: true,
  },
  'members:read': {
    category: 'Members',
    description: 'List members and see their details',
    minRole: 'viewer',
    action: "view members' details",
  },
  'members:write': {
    category: 'Members',
    description: 'Add and remove members and change roles (never above your own)',
    minRole: 'workspace_manager',
    action: 'manage members',
    workspaceWide: true,
  },
  'spaces:read': { category: 'Spaces', description: 'List and read spaces', minRole: 'viewer', action: 'read spaces', agent: true },
  'spaces:write': {
    category: 'Spaces',
    description: 'Create, edit and delete spaces',
    minRole: 'workspace_manager',
    action: 'manage spaces',
    workspaceWide: true,
  },
  'projects:read': { category: 'Projects', description: 'List and read projects', minRole: 'viewer', action: 'read projects', agent: true },
  'projects:write': {
    category: 'Projects',
    description: 'Create, edit, archive and delete projects',
    minRole: 'workspace_manager',
    action: 'create, edit or delete projects',
  },
  'tasks:read': { category: 'Tasks', description: 'List and read tasks', minRole: 'viewer', action: 'read tasks', agent: true },
  'tasks:create': { category: 'Tasks', description: 'Create tasks', minRole: 'team_member', action: 'create tasks' },
  'tasks:write': {
    category: 'Tasks',
    description: 'Edit, move, assign, label, claim and complete tasks',
    minRole: 'team_member',
    action: 'edit tasks',
    agent: true,
  },
  'tasks:override': {
    category: 'Tasks',
    description: 'Complete, release or reassign a task someone else has claimed (recorded as an override)',
    minRole: 'workspace_manager',
    action: "override another's claim",
  },
  'tasks:delete': { category: 'Tasks', description: 'Delete tasks', minRole: 'workspace_manager', action: 'delete tasks' },
  'labels:read': { category: 'Labels', description: 'List labels', minRole: 'viewer', action: 'read labels', agent: true },
  'labels:write': {
    category: 'Labels',
    description: 'Create, edit and delete labels',
    minRole: 'workspace_manager',
    action: 'manage labels',
    workspaceWide: true,
  },
  'events:read': {
    category: 'Events',
    description: "Read the workspace's event history",
    minRole: 'viewer',
    action: 'read the event history',
  },
  'agents:read': { category: 'Agents', description: 'List and read agents', minRole: 'viewer', action: 'read agents', agent: true },
  'agents:write': {
    category: 'Agents',
    description: 'Register, edit and delete agents and issue their tokens',
    minRole: 'administrator',
    action: 'create agents',
    workspaceWide: true,
  },
  'webhooks:read': {
    category: 'Webhooks',
    description: 'List webhooks and their deliveries',
    minRole: 'administrator',
    action: 'view webhooks',
  },
  'webhooks:write': {
    category: 'Webhooks',
    description: 'Create, edit, test and delete webhooks',
    minRole: 'administrator',
    action: 'manage webhooks',
  },
  'tokens:read': {
    category: 'Access tokens',
    description: "List the workspace's access tokens",
    minRole: 'viewer',
    action: 'view access tokens',
  },
  'tokens:write': {
    category: 'Access tokens',
    description: 'Create and edit workspace access tokens (never above your own role)',
    minRole: 'workspace_manager',
    action: 'manage tokens',
    workspaceWide: true,
  },
  'tokens:manage': {
    category: 'Access tokens',
    description: 'Disable, enable and delete workspace access tokens',
    minRole: 'administrator',
    action: 'manage tokens',
    workspaceWide: true,
  },
  'tokens:inventory': {
    category: 'Access tokens',
    description: "See every token that reaches the workspace (members' personal tokens too, masked) and revoke any of them",
    minRole: 'owner',
    action: 'see or revoke every token that reaches the workspace',
    workspaceWide: true,
  },
} as const satisfies Record<string, PermissionSpec>;

export type Permission = keyof typeof PERMISSIONS;
export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(name: string): name is Permission {
  return Object.hasOwn(PERMISSIONS, name);
}

/** The catalogue grouped by category, as `GET /permissions` returns it. */
export function permissionCatalogue() {
  const groups = new Map<string, { name: Permission; description: string; minimumRole: Role }[]>();
  for (const name of PERMISSION_NAMES) {
    const spec: PermissionSpec = PERMISSIONS[name];
    const group = groups.get(spec.category) ?? [];
    group.push({ name, description: spec.description, minimumRole: spec.minRole });
    groups.set(spec.category, group);
  }
  return [...groups].map(([category, permissions]) => ({ category, permissions }));
}
