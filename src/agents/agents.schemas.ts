import { Type } from 'typebox';
import { Nullable, StrictObject, Text, Timestamp } from '../http/schemas.js';

export const AgentName = Text({ minLength: 1, maxLength: 100, mustHaveText: true });
export const AgentDescription = Text({ maxLength: 2000 });

export const CreateAgentBody = StrictObject({ name: AgentName, description: Type.Optional(AgentDescription) });
export const UpdateAgentBody = StrictObject({ name: Type.Optional(AgentName), description: Type.Optional(AgentDescription) });
export const ReissueTokenBody = StrictObject({
  graceSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400, description: 'How long the old token keeps working (max 24 h); 0 or unset: it stops at once' })),
});

export const AgentSchema = Type.Object({
  id: Type.String(),
  workspaceId: Type.String(),
  name: Type.String(),
  description: Type.String(),
  createdBy: Type.Object({ type: Type.String(), id: Type.String() }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  token: Nullable(Type.Object({
    prefix: Type.String({ description: 'The first 10 characters of the current token' }),
    issuedAt: Timestamp,
    lastUsedAt: Nullable(Timestamp),
  }, { description: 'The current token; null once revoked' })),
});

export const AgentWithTokenSchema = Type.Object({
  agent: AgentSchema,
  token: Type.String({ description: 'The agent token (tga_), shown this once only' }),
  previousTokenRevokedAt: Nullable(Timestamp),
});
