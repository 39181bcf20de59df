import { Type } from 'typebox';
import { HygieneProperties, HygieneQuery } from '../credentials/hygiene.schemas.js';
import { StringEnum } from '../http/common-schemas.js';
import { Id, IdOf, Named, Nullable, Pagination, StrictObject, Timestamp } from '../http/schemas.js';

/** The kinds of token the inventory lists. */
const INVENTORY_KINDS = ['personal', 'workspace', 'agent', 'delegated'] as const;
export type InventoryKind = (typeof INVENTORY_KINDS)[number];

const INVENTORY_STATUSES = ['active', 'revoked', 'expired', 'disabled'] as const;
export type InventoryStatus = (typeof INVENTORY_STATUSES)[number];

const KIND_MEANING =
  "personal: a member's own token (tgp_) that can reach this workspace; workspace: a workspace access token (tgw_); " +
  "agent: a token of one of the workspace's agents (tga_); delegated: a token one of those minted for a sub-agent (tgd_)";

export const InventoryQuery = StrictObject({
  ...Pagination,
  kind: Type.Optional(StringEnum(INVENTORY_KINDS, { description: `Only tokens of this kind. ${KIND_MEANING}` })),
  status: Type.Optional(
    StringEnum(INVENTORY_STATUSES, { description: 'Only tokens with this status (revoked wins over disabled, disabled over expired)' }),
  ),
  createdBy: Type.Optional(IdOf('Only tokens this user created (or, for a workspace token, last re-enabled)')),
  ...HygieneQuery,
});

export const InventoryParams = StrictObject({ id: Id });

export const InventoryTokenParams = StrictObject({
  id: Id,
  kind: StringEnum(INVENTORY_KINDS, { description: KIND_MEANING }),
  tokenId: Id,
});

const Person = Named(
  'InventoryPerson',
  Type.Object(
    { id: Type.String(), name: Type.String(), email: Type.String() },
    { description: 'A user, as the workspace owner or instance admin sees them' },
  ),
);

export const InventoryItemSchema = Named(
  'InventoryToken',
  Type.Object(
    {
      kind: StringEnum(INVENTORY_KINDS, { description: KIND_MEANING }),
      id: Type.String({ description: "The token's id (an agent token's own id, not its agent's)" }),
      name: Type.String({ description: "The token's name, a workspace token's label, or an agent token's agent's name" }),
      maskedToken: Type.String({ description: "The token's display prefix and an ellipsis (`tgp_AbCdEf…`): never the secret or its hash" }),
      owner: Nullable(Person, {
        description: "A personal token's owner (a member), also of a token delegated from one; null for workspace and agent tokens",
      }),
      createdBy: Nullable(Person, {
        description:
          "Who is responsible for it: a personal token's owner, a workspace token's creator, the user who registered an agent, " +
          "a delegated token's root's",
      }),
      status: StringEnum(INVENTORY_STATUSES, { description: 'revoked wins over disabled, disabled over expired' }),
      expiresAt: Nullable(Timestamp),
      ...HygieneProperties,
      lastUsedAt: Nullable(Timestamp),
      projectIds: Nullable(
        Type.Array(Type.String(), { description: 'The projects a personal token is limited to (in any workspace); null: no limit' }),
      ),
      revokedAt: Nullable({ ...Timestamp, description: 'When it was (or, for an agent token during a reissue grace, will be) revoked' }),
    },
    { description: 'A token that can reach the workspace, as its owners and instance admins see it (masked)' },
  ),
);
