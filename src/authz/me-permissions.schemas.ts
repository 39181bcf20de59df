import { Type } from 'typebox';
import { StringEnum } from '../http/common-schemas.js';
import { IdOf, Named, Nullable, RefusalLayerName, StrictObject } from '../http/schemas.js';
import { PermissionName } from '../system/system.schemas.js';
import { DECIDED_LAYERS } from './decide.js';
import { ROLES } from './roles.js';

export const MePermissionsQuery = StrictObject({
  workspaceId: IdOf('The workspace to explain'),
  projectId: Type.Optional(IdOf('Explain what the caller may do in this project (a project-scoped token may not reach it)')),
});

const PermissionVerdict = Named(
  'PermissionVerdict',
  Type.Object({
    name: PermissionName,
    effective: Type.Boolean({ description: 'Whether the caller holds it here' }),
    refusedBy: Nullable(RefusalLayerName, { description: 'The first layer that removes it; null when effective' }),
  }),
);

const AccessLayer = Named(
  'AccessLayer',
  Type.Object({
    layer: StringEnum(DECIDED_LAYERS),
    applies: Type.Boolean({ description: 'Whether this layer limits the caller at all (a session has no token permissions…)' }),
    allows: Type.Array(PermissionName, { description: 'The permissions this layer lets through, whatever the others say' }),
    role: Type.Optional(StringEnum(ROLES, { description: "role: the member's role, or a workspace token's scope" })),
    plan: Type.Optional(Type.String({ description: "plan: the workspace's plan (API tokens need pro or team)" })),
    projectIds: Type.Optional(
      Nullable(Type.Array(Type.String()), {
        description: 'project_restriction, delegation_scope: the only projects a token (a delegated token) reaches',
      }),
    ),
    taskId: Type.Optional(Nullable(Type.String({ description: 'delegation_scope: the one task a delegated token may act on' }))),
    depth: Type.Optional(Type.Integer({ minimum: 1, description: 'delegation_scope: how many links from its root token' })),
  }),
);

export const MePermissionsSchema = Named(
  'MePermissions',
  Type.Object({
    workspaceId: Type.String(),
    projectId: Nullable(Type.String()),
    credential: StringEnum(['session', 'personal_token', 'workspace_token', 'agent'] as const, { description: 'What the caller is' }),
    effective: Type.Array(PermissionName, { description: 'The intersection of every layer: what the caller may do here' }),
    permissions: Type.Array(PermissionVerdict, { description: 'Every permission of the catalogue, effective or not, and why' }),
    layers: Type.Array(AccessLayer, { description: 'Each layer in the order authorisation consults it' }),
  }),
);
