import { Type } from 'typebox';
import { ROLES } from '../authz/roles.js';
import { Id, Named, Nullable, Pagination, StrictObject, Text, Timestamp } from '../http/schemas.js';
import { StringEnum } from '../http/common-schemas.js';
import { AllowedIpsSchema } from '../credentials/ip-allowlist.js';
import { RoleSchema } from '../workspaces/workspaces.schemas.js';
import { HygieneProperties, HygieneQuery } from '../credentials/hygiene.schemas.js';
import { Delegations } from '../delegation/delegation.schemas.js';

const TokenLabel = Text({ minLength: 1, maxLength: 100, mustHaveText: true, description: 'What the token is for' });
const RateLimitPerMinute = Type.Integer({
  minimum: 1,
  description: "Requests per minute, at most the instance's token limit; that limit when unset",
});

const SCOPE_MEANING = 'The role the token acts with, at most your own: an administrator or owner token is the team API key';

export const WorkspaceTokenParams = StrictObject({
  id: Id,
  tokenId: Id,
});

export const CreateWorkspaceTokenBody = Named(
  'NewAccessToken',
  StrictObject({
    label: TokenLabel,
    scope: RoleSchema,
    expiresAt: Type.Optional({
      ...Timestamp,
      description: 'In the future and within the maximum lifetime of workspace tokens; that maximum when omitted',
    }),
    rateLimitPerMinute: Type.Optional(RateLimitPerMinute),
    allowedIps: Type.Optional(AllowedIpsSchema),
  }),
);

export const UpdateWorkspaceTokenBody = Named(
  'AccessTokenChanges',
  StrictObject(
    {
      label: Type.Optional(TokenLabel),
      scope: Type.Optional(RoleSchema),
      expiresAt: Type.Optional(Nullable({ ...Timestamp, description: 'null: the maximum lifetime from now (every token expires)' })),
      rateLimitPerMinute: Type.Optional(Nullable(RateLimitPerMinute)),
      allowedIps: Type.Optional(AllowedIpsSchema),
      enabled: Type.Optional(Type.Boolean({ description: 'false disables the token; true re-enables it (needs tokens:manage)' })),
    },
    {
      description:
        'At least one field. Changing label, scope, expiry, rate limit or IP allowlist needs tokens:write; enabled needs tokens:manage',
      minProperties: 1,
    },
  ),
);

const WorkspaceTokenProperties = {
  id: Type.String(),
  workspaceId: Type.String(),
  label: Type.String(),
  prefix: Type.String({ description: 'The first 10 characters of the token, for recognising it' }),
  scope: StringEnum(ROLES, { description: SCOPE_MEANING }),
  rateLimitPerMinute: Nullable(Type.Integer({ minimum: 1, description: "Its own limit; null: the instance's token limit" })),
  allowedIps: AllowedIpsSchema,
  createdAt: Timestamp,
  createdBy: Type.String({ description: 'The id of the user responsible for it: who created it, or who last re-enabled it' }),
  updatedAt: Timestamp,
  expiresAt: Nullable({ ...Timestamp, description: 'When it stops working; null only for tokens made before every token had to expire' }),
  status: StringEnum(['active', 'disabled', 'expired', 'revoked'], { description: 'revoked wins over disabled, disabled over expired' }),
  revokedAt: Nullable({
    ...Timestamp,
    description: 'When it was revoked for good (a leak report, or the token inventory); null while not',
  }),
  revokedReason: Nullable(StringEnum(['leaked'], { description: 'Why it was revoked: a leak report found it in public; null by hand' })),
  disabledReason: Nullable(
    StringEnum(['manual', 'creator_removed', 'creator_blocked'], {
      description:
        'Why it is disabled: by hand, or its creator left (or was removed from) the workspace, or was blocked; null while enabled',
    }),
  ),
  lastUsedAt: Nullable(Timestamp),
};

export const WorkspaceTokenSchema = Named(
  'AccessToken',
  Type.Object(WorkspaceTokenProperties, {
    description: 'A workspace access token (tgw_), never with its secret',
  }),
);

export const WorkspaceTokenListQuery = StrictObject({ ...Pagination, ...HygieneQuery });

export const ListedWorkspaceTokenSchema = Named(
  'ListedAccessToken',
  Type.Object(
    { ...WorkspaceTokenProperties, ...HygieneProperties, delegations: Delegations },
    { description: 'A workspace access token as lists show it' },
  ),
);

export const IssuedWorkspaceTokenSchema = Named(
  'IssuedAccessToken',
  Type.Object(
    {
      ...WorkspaceTokenProperties,
      token: Type.String({ description: 'The token itself, shown this once only' }),
    },
    { description: 'A workspace access token with its secret, answered by creation only' },
  ),
);
