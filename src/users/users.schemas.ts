import { Type } from 'typebox';
import { ROLES } from '../authz/roles.js';
import { Named, Nullable, Timestamp } from '../http/schemas.js';
import { PermissionName } from '../system/system.schemas.js';
import { StringEnum } from '../http/common-schemas.js';

export const UserSchema = Named(
  'User',
  Type.Object({
    id: Type.String(),
    email: Type.String({ description: 'Lower-cased as stored; it is also the sign-in name' }),
    name: Type.String(),
    isAdmin: Type.Boolean({ description: 'An instance administrator (may register and block users)' }),
    blocked: Type.Boolean({ description: 'A blocked user cannot sign in, and their tokens stop working' }),
    createdAt: Timestamp,
  }),
);

/** The answer of registration and of blocking or unblocking a user. */
export const UserEnvelope = Named('UserEnvelope', Type.Object({ user: UserSchema }));

const TokenKind = StringEnum(['personal', 'workspace', 'agent'], {
  description: 'personal: a tgp_ token; workspace: a tgw_ workspace access token; agent: a tga_ agent token',
});

const TokenWorkspaceAccess = Named(
  'TokenWorkspaceAccess',
  Type.Object(
    {
      workspaceId: Type.String(),
      role: StringEnum(ROLES, { description: "The owner's role there" }),
      permissions: Type.Array(PermissionName, { description: "The token's permissions within the owner's current role there" }),
    },
    { description: "What a personal token may do in one of its owner's pro or team workspaces" },
  ),
);

const CallerToken = Named(
  'CallerToken',
  Type.Object(
    {
      id: Type.String({ description: "The token's id (for an agent, its current token's id)" }),
      name: Type.String({ description: "A personal token's name, a workspace token's label, or the agent's name" }),
      kind: TokenKind,
      workspaceId: Nullable(Type.String({ description: 'The workspace a workspace or agent token belongs to; null for a personal token' })),
      agentId: Type.Optional(Type.String({ description: 'Agent tokens only: the agent' })),
      permissions: Type.Array(PermissionName, {
        description: "What the token was granted (for a personal token, before its owner's roles are applied: see `workspaces`)",
      }),
      projectIds: Nullable(Type.Array(Type.String(), { description: 'The projects a personal token is limited to; null: no limit' })),
      expiresAt: Nullable({ ...Timestamp, description: 'When it stops working (also sent as Taskgate-Token-Expires); null: never' }),
      workspaces: Type.Optional(
        Type.Array(TokenWorkspaceAccess, { description: 'Personal tokens only: what the token comes to in each paid workspace' }),
      ),
    },
    { description: 'The API token the request was made with' },
  ),
);

/** `GET /me`: the signed-in user, or the token with what it may do. */
export const MeSchema = Named(
  'Me',
  Type.Object({
    id: Nullable(Type.String({ description: "The user's id; null for a workspace or agent token, which act for no user" })),
    email: Nullable(Type.String()),
    name: Type.String({ description: "The user's name, or a workspace token's label, or the agent's name" }),
    isAdmin: Type.Boolean(),
    blocked: Type.Boolean(),
    createdAt: Nullable(Timestamp),
    token: Nullable(CallerToken),
  }),
);
