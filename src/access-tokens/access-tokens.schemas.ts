import { Type } from 'typebox';
import { Id, Nullable, StrictObject, Text, Timestamp } from '../http/schemas.js';
import { RoleSchema } from '../workspaces/workspaces.schemas.js';

export const TokenLabel = Text({ minLength: 1, maxLength: 100, mustHaveText: true, description: 'What the token is for' });
export const RateLimitPerMinute = Type.Integer({ minimum: 1, description: "Requests per minute, at most the instance's token limit; that limit when unset" });

export const AccessTokenParams = StrictObject({
  id: Id,
  tokenId: Id,
});

export const CreateAccessTokenBody = StrictObject({
  label: TokenLabel,
  scope: RoleSchema,
  expiresAt: Type.Optional(Timestamp),
  rateLimitPerMinute: Type.Optional(RateLimitPerMinute),
});

export const UpdateAccessTokenBody = StrictObject({
  label: Type.Optional(TokenLabel),
  scope: Type.Optional(RoleSchema),
  expiresAt: Type.Optional(Nullable(Timestamp)),
  rateLimitPerMinute: Type.Optional(Nullable(RateLimitPerMinute)),
  enabled: Type.Optional(Type.Boolean({ description: 'false disables the token; true re-enables it' })),
});

export const AccessTokenStatus = Type.Union([Type.Literal('active'), Type.Literal('disabled'), Type.Literal('expired')]);

export const AccessTokenSchema = Type.Object({
  id: Type.String(),
  workspaceId: Type.String(),
  label: Type.String(),
  prefix: Type.String({ description: 'The first 10 characters of the token, for recognising it' }),
  scope: Type.String(),
  rateLimitPerMinute: Nullable(Type.Integer()),
  createdAt: Timestamp,
  createdBy: Type.String({ description: 'The id of the user who created it' }),
  updatedAt: Timestamp,
  expiresAt: Nullable(Timestamp),
  status: AccessTokenStatus,
  lastUsedAt: Nullable(Timestamp),
});

export const CreatedAccessTokenSchema = Type.Object({
  ...AccessTokenSchema.properties,
  token: Type.String({ description: 'The token itself, shown this once only' }),
});
