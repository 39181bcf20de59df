import { Type } from 'typebox';
import { Named, Nullable, Pagination, StrictObject, Text, Timestamp } from '../http/schemas.js';
import { HygieneProperties, HygieneQuery } from '../credentials/hygiene.schemas.js';
import { Delegations } from '../delegation/delegation.schemas.js';
import { ActorSchema, StringEnum } from '../http/common-schemas.js';
import { AllowedIpsSchema } from '../credentials/ip-allowlist.js';
import { MAX_GRACE_SECONDS } from '../credentials/limits.js';

const AgentName = Text({ minLength: 1, maxLength: 100, mustHaveText: true });
const AgentDescription = Text({ maxLength: 2000, description: 'What the agent does; empty when unset' });

export const CreateAgentBody = Named(
  'NewAgent',
  StrictObject({ name: AgentName, description: Type.Optional(AgentDescription), allowedIps: Type.Optional(AllowedIpsSchema) }),
);
export const UpdateAgentBody = Named(
  'AgentChanges',
  StrictObject(
    {
      name: Type.Optional(AgentName),
      description: Type.Optional(AgentDescription),
      allowedIps: Type.Optional(AllowedIpsSchema),
      enabled: Type.Optional(
        Type.Boolean({ description: 'false disables the agent (its token is refused); true re-enables it and makes you its creator' }),
      ),
    },
    { description: 'At least one field', minProperties: 1 },
  ),
);
export const ReissueTokenBody = Named(
  'AgentTokenReissue',
  StrictObject({
    graceSeconds: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MAX_GRACE_SECONDS,
        description: 'How long the old token keeps working (max 24 h); 0 or unset: it stops at once',
      }),
    ),
  }),
);

const AgentToken = Named(
  'AgentToken',
  Type.Object(
    {
      prefix: Type.String({ description: 'The first 10 characters of the current token' }),
      issuedAt: Timestamp,
      expiresAt: Nullable({
        ...Timestamp,
        description:
          "When it stops working (the instance's agent token lifetime after issue); null only for tokens from before agent tokens expired",
      }),
      lastUsedAt: Nullable(Timestamp),
    },
    { description: "The agent's current token, never its secret" },
  ),
);

export const AgentSchema = Named(
  'Agent',
  Type.Object(
    {
      id: Type.String(),
      workspaceId: Type.String(),
      name: Type.String(),
      description: Type.String(),
      createdBy: ActorSchema,
      createdAt: Timestamp,
      updatedAt: Timestamp,
      status: StringEnum(['active', 'disabled'], {
        description: "A disabled agent's token is refused until an administrator re-enables it",
      }),
      disabledReason: Nullable(
        StringEnum(['manual', 'creator_removed', 'creator_blocked'], {
          description:
            'Why it is disabled: by hand, or the member who registered it left (or was removed from) the workspace, or was ' +
            'blocked; null while enabled',
        }),
      ),
      allowedIps: AllowedIpsSchema,
      token: Nullable(AgentToken),
    },
    { description: 'An automated worker with its own token (tga_); `token` is null once revoked' },
  ),
);

/** Registration and token reissue: the agent with its new token, shown this once. */
export const AgentWithTokenSchema = Named(
  'RegisteredAgent',
  Type.Object(
    {
      agent: AgentSchema,
      token: Type.String({ description: 'The agent token (tga_), shown this once only' }),
      previousTokenRevokedAt: Nullable({
        ...Timestamp,
        description: 'When the previous token stops (or stopped) working; null when there was none (always null at registration)',
      }),
    },
    { description: 'An agent with its new token (tga_), answered by registration and by token reissue only' },
  ),
);

export const AgentListQuery = StrictObject({ ...Pagination, ...HygieneQuery });

const ListedAgentToken = Named(
  'ListedAgentToken',
  Type.Object({ ...AgentToken.properties, ...HygieneProperties }, { description: "The agent's current token as lists show it" }),
);

/** The agents list's item: an agent whose current token also says when it expires and whether it is stale. */
export const ListedAgentSchema = Named(
  'ListedAgent',
  Type.Object(
    { ...AgentSchema.properties, token: Nullable(ListedAgentToken), delegations: Delegations },
    { description: 'An agent as lists show it' },
  ),
);
