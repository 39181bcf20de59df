import { Type } from 'typebox';
import { Nullable, StrictObject, Timestamp } from '../http/schemas.js';
import { MAX_GRACE_SECONDS } from './personal-token-input.js';

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

// `name` is checked by the service so that its messages are exactly the documented ones.
const Name = Type.Unknown({ description: 'Required: a string of 1–100 characters' });

const TokenFields = {
  permissions: Type.Optional(Nullable(PermissionNames)),
  projectIds: Type.Optional(Nullable(ProjectIds)),
  expiresAt: Type.Optional({ ...Timestamp, description: 'In the future and within the maximum lifetime; the maximum when omitted' }),
  rateLimitPerMinute: Type.Optional(Nullable(Type.Integer({ minimum: 1, description: "At most the instance's token limit; null: that limit" }))),
};

export const CreateTokenBody = StrictObject({ name: Type.Optional(Name), ...TokenFields });
export const UpdateTokenBody = StrictObject({ name: Type.Optional(Name), ...TokenFields });
export const RotateTokenBody = StrictObject({
  graceSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_GRACE_SECONDS, description: 'How long the old secret keeps working (default 0: it stops at once)' })),
});

export const TokenSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'The first 10 characters of the secret, for recognising it' }),
  permissions: Nullable(Type.Array(Type.String())),
  projectIds: Nullable(Type.Array(Type.String())),
  rateLimitPerMinute: Nullable(Type.Integer()),
  status: Type.Union([Type.Literal('active'), Type.Literal('expired'), Type.Literal('revoked')]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  expiresAt: Timestamp,
  revokedAt: Nullable(Timestamp),
  previousSecretValidUntil: Nullable(Timestamp),
  lastUsedAt: Nullable(Timestamp),
  lastUsedIp: Nullable(Type.String()),
});

export const IssuedTokenSchema = Type.Object({
  ...TokenSchema.properties,
  token: Type.String({ description: 'The secret, shown this once: store it now' }),
});
