import { Type } from 'typebox';
import { ROLES } from '../authz/roles.js';
import { PLANS } from '../config/config.js';
import { Named, Nullable, StrictObject, Text, Timestamp } from '../http/schemas.js';
import { ActorSchema, StringEnum } from '../http/common-schemas.js';

const ROLE_MEANING = 'A workspace role, least to most: viewer, team_member, workspace_manager, administrator, owner';
const PLAN_MEANING = 'free, pro or team: API tokens and agents work in pro and team workspaces only';

// Request bodies validate with these unions; answers say the same with StringEnum, which is written faster.
export const RoleSchema = Type.Union(
  ROLES.map((r) => Type.Literal(r)),
  { description: ROLE_MEANING },
);
const PlanSchema = Type.Union(
  PLANS.map((p) => Type.Literal(p)),
  { description: PLAN_MEANING },
);
const WorkspaceName = Text({ minLength: 1, maxLength: 100, mustHaveText: true });

export const WorkspaceSchema = Named(
  'Workspace',
  Type.Object({
    id: Type.String(),
    name: Type.String(),
    plan: StringEnum(PLANS, { description: PLAN_MEANING }),
    createdBy: Type.String({ description: 'The id of the user who created it' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    role: Nullable(StringEnum(ROLES), {
      description:
        "The caller's role here (a workspace access token's scope); null for an agent, and in the answer to a plan change by " +
        'an instance admin',
    }),
  }),
);

export const NewWorkspaceBody = Named('NewWorkspace', StrictObject({ name: WorkspaceName }));

export const WorkspaceChangesBody = Named(
  'WorkspaceChanges',
  Type.Object(
    { name: Type.Optional(WorkspaceName), plan: Type.Optional(PlanSchema) },
    { additionalProperties: false, minProperties: 1, description: 'At least one field; only an instance admin may set `plan`' },
  ),
);

export const MemberSchema = Named(
  'Member',
  Type.Object({
    userId: Type.String(),
    email: Type.String({ format: 'email' }),
    name: Type.String(),
    role: StringEnum(ROLES, { description: ROLE_MEANING }),
    joinedAt: Timestamp,
  }),
);

export const NewInvitationBody = Named(
  'NewInvitation',
  StrictObject({
    email: Type.String({ format: 'email', maxLength: 254, description: 'Who to invite: registered or not, the answer is the same' }),
    role: RoleSchema,
  }),
);

export const InvitationSchema = Named(
  'Invitation',
  Type.Object(
    {
      id: Type.String(),
      workspaceId: Type.String(),
      workspaceName: Type.String(),
      email: Type.String({ description: 'The invited address, lower-cased' }),
      role: StringEnum(ROLES, { description: 'The role the invitee gets on accepting' }),
      status: StringEnum(['pending', 'accepted', 'declined', 'revoked', 'expired'], {
        description: 'pending until the invitee accepts or declines, an administrator revokes it, or it expires',
      }),
      invitedBy: ActorSchema,
      createdAt: Timestamp,
      expiresAt: { ...Timestamp, description: 'After this it can no longer be accepted' },
      respondedAt: Nullable({ ...Timestamp, description: 'When it was accepted, declined or revoked' }),
    },
    { description: "An invitation to join a workspace: membership needs the invitee's consent" },
  ),
);

export const MemberChangesBody = Named('MemberChanges', StrictObject({ role: RoleSchema }));
