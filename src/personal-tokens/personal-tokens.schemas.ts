import { Type } from 'typebox';
import { Named, Nullable, Pagination, StrictObject, Text, Timestamp } from '../http/schemas.js';
import { PermissionName } from '../system/system.schemas.js';
import { StringEnum } from '../http/common-schemas.js';
import { AllowedIpsSchema } from '../credentials/ip-allowlist.js';
import { MAX_GRACE_SECONDS } from '../credentials/limits.js';
import type { TokenStatus } from './personal-token-view.js';
import { HygieneProperties, HygieneQuery } from '../credentials/hygiene.schemas.js';
import { Delegations } from '../delegation/delegation.schemas.js';

// Requests name permissions as plain strings: an unknown one is refused as UNKNOWN_PERMISSION, naming
// every unknown name, rather than by the schema.
const PermissionNames = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
  minItems: 1,
  maxItems: 100,
  description: 'Permission names from GET /tokens/permissions; null: everything your role allows',
});
const ProjectIds = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
  minItems: 1,
  maxItems: 100,
  description: 'Projects the token may see and touch; null: every project you can see',
});

// The routes check `name` before the schema does (see personal-tokens.routes.ts), so that a wrong one
// gets the documented messages; the schema then sees it trimmed.
const Name = Type.String({ minLength: 1, maxLength: 100, description: 'What the token is for; leading and trailing spaces are dropped' });

const TokenFields = {
  permissions: Type.Optional(Nullable(PermissionNames)),
  projectIds: Type.Optional(Nullable(ProjectIds)),
  expiresAt: Type.Optional({ ...Timestamp, description: 'In the future and within the maximum lifetime; the maximum when omitted' }),
  rateLimitPerMinute: Type.Optional(
    Nullable(Type.Integer({ minimum: 1, description: "At most the instance's token limit; null: that limit" })),
  ),
  allowedIps: Type.Optional(AllowedIpsSchema),
};

export const CreateTokenBody = Named('NewToken', StrictObject({ name: Name, ...TokenFields }));
export const UpdateTokenBody = Named('TokenChanges', StrictObject({ name: Type.Optional(Name), ...TokenFields }));
export const RotateTokenBody = Named(
  'TokenRotation',
  StrictObject({
    graceSeconds: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MAX_GRACE_SECONDS,
        description: 'How long the old secret keeps working (default 0: it stops at once)',
      }),
    ),
  }),
);

const TOKEN_STATUSES = ['active', 'expired', 'revoked'] as const satisfies readonly TokenStatus[];

export const TokenListQuery = StrictObject({
  ...Pagination,
  status: Type.Optional(StringEnum(TOKEN_STATUSES, { description: 'Only the tokens with this status' })),
  q: Type.Optional(Text({ minLength: 1, maxLength: 100, description: 'Only the tokens whose name contains this text, in any case' })),
  ...HygieneQuery,
});

const TokenProperties = {
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'The first 10 characters of the secret, for recognising it' }),
  permissions: Nullable(
    Type.Array(PermissionName, {
      description: 'What the token may do, within your role in each workspace; null: everything your role allows',
    }),
  ),
  projectIds: Nullable(Type.Array(Type.String(), { description: 'The projects it is limited to; null: every project you can see' })),
  rateLimitPerMinute: Nullable(Type.Integer({ minimum: 1, description: "Its own limit; null: the instance's token limit" })),
  allowedIps: AllowedIpsSchema,
  status: StringEnum(TOKEN_STATUSES, { description: 'revoked wins over expired' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  expiresAt: Timestamp,
  revokedAt: Nullable(Timestamp),
  revokedReason: Nullable(StringEnum(['leaked'], { description: 'Why it was revoked: a leak report found it; null: by hand' })),
  previousSecretValidUntil: Nullable({
    ...Timestamp,
    description: 'Until when the secret replaced by the last rotation still works; null when it no longer does',
  }),
  lastUsedAt: Nullable(Timestamp),
  lastUsedIp: Nullable(Type.String()),
};

export const TokenSchema = Named(
  'Token',
  Type.Object(TokenProperties, { description: 'A personal access token (tgp_), never with its secret' }),
);

export const ListedTokenSchema = Named(
  'ListedToken',
  Type.Object(
    { ...TokenProperties, ...HygieneProperties, delegations: Delegations },
    { description: 'A personal access token as lists show it' },
  ),
);

export const IssuedTokenSchema = Named(
  'IssuedToken',
  Type.Object(
    {
      ...TokenProperties,
      token: Type.String({ description: 'The secret, shown this once: store it now' }),
    },
    { description: 'A personal access token with its secret, answered by creation and rotation only' },
  ),
);

export const RevokedTokens = Named(
  'RevokedTokens',
  Type.Object({
    revoked: Type.Integer({ minimum: 0, description: 'How many tokens were revoked (those already revoked are not counted)' }),
  }),
);
