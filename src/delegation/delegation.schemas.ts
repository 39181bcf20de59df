import { Type } from 'typebox';
import { StringEnum } from '../http/common-schemas.js';
import { Named, Nullable, StrictObject, Text, Timestamp } from '../http/schemas.js';
import { PermissionName } from '../system/system.schemas.js';

/** How long a delegated token lives by default, and at most (it never outlives its parent either). */
export const DEFAULT_DELEGATION_SECONDS = 60 * 60;
const MAX_DELEGATION_SECONDS = 24 * 60 * 60;
/** How many links a chain may have below its root token. */
export const MAX_DELEGATION_DEPTH = 3;

const PARENT_KINDS = ['personal', 'workspace', 'agent', 'delegated'] as const;
const ROOT_KINDS = ['personal', 'workspace', 'agent'] as const;

export const DelegateBody = Named(
  'Delegation',
  StrictObject({
    name: Type.Optional(Text({ minLength: 1, maxLength: 100, mustHaveText: true, description: 'What the child token is for' })),
    // Requests name permissions as plain strings: an unknown one is refused as UNKNOWN_PERMISSION.
    permissions: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
        minItems: 1,
        maxItems: 100,
        description: 'A subset of what the calling token holds; omitted: everything it holds',
      }),
    ),
    projectIds: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
        minItems: 1,
        maxItems: 100,
        description: 'Projects the child may reach, among those the calling token reaches; omitted: the same as the caller',
      }),
    ),
    taskId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'The one task the child may act on' })),
    expiresInSeconds: Type.Optional(
      Type.Integer({
        minimum: 60,
        maximum: MAX_DELEGATION_SECONDS,
        description: `Lifetime (default ${DEFAULT_DELEGATION_SECONDS}, at most ${MAX_DELEGATION_SECONDS}); never past the caller's expiry`,
      }),
    ),
  }),
);

const Permissions = Nullable(Type.Array(PermissionName), {
  description: "What it holds (what was asked, else its delegated parent's); null: whatever its root token holds",
});
const ProjectIds = Nullable(Type.Array(Type.String()), {
  description: "The projects it reaches (asked, its task's, else its parent's); null: whatever its root token reaches",
});
const TaskId = Nullable(Type.String({ description: "The one task it may act on (asked, or its parent's); null: any task" }));
const Depth = Type.Integer({ minimum: 1, maximum: MAX_DELEGATION_DEPTH, description: 'Links from its root token (1: a child of it)' });

export const DelegatedTokenSchema = Named(
  'DelegatedToken',
  Type.Object(
    {
      id: Type.String(),
      token: Type.String({ description: 'The secret (tgd_…), shown this once' }),
      parentId: Type.String({ description: "The parent's id: a token's, an agent's (for an agent token), or a delegated token's" }),
      parentKind: StringEnum(PARENT_KINDS),
      rootKind: StringEnum(ROOT_KINDS),
      depth: Depth,
      name: Type.String(),
      permissions: Permissions,
      projectIds: ProjectIds,
      taskId: TaskId,
      expiresAt: Timestamp,
    },
    { description: 'A delegated token with its secret, answered by POST /me/delegate only' },
  ),
);

const DelegatedTokenSummarySchema = Named(
  'DelegatedTokenSummary',
  Type.Object(
    {
      id: Type.String(),
      parentId: Type.String(),
      name: Type.String(),
      displayPrefix: Type.String({ description: 'The first 10 characters of the secret (tgd_…)' }),
      depth: Depth,
      permissions: Permissions,
      projectIds: ProjectIds,
      taskId: TaskId,
      expiresAt: Timestamp,
      createdAt: Timestamp,
      lastUsedAt: Nullable(Timestamp),
    },
    { description: 'A live delegated token below a listed token (or agent), never with its secret' },
  ),
);

/** Every live descendant of a listed token, flattened (a child's `parentId` tells where it hangs). */
export const Delegations = Type.Array(DelegatedTokenSummarySchema, {
  description: 'Every live delegated token below this one (tgd_, POST /me/delegate), flattened, oldest first',
});
