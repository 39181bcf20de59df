import { Type } from 'typebox';
import { IdOf, Named, Nullable, StrictObject } from '../http/schemas.js';
import { PermissionName } from '../system/system.schemas.js';
import { ROLES } from '../authz/roles.js';
import { StringEnum } from '../http/common-schemas.js';

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A UTC day, YYYY-MM-DD' });

export const TokenUsageSchema = Named(
  'TokenUsage',
  Type.Object({
    days: Type.Integer({ description: 'How many days are counted, today (UTC) included' }),
    since: Day,
    permissions: Type.Array(
      Type.Object({
        permission: PermissionName,
        uses: Type.Integer({ minimum: 0, description: 'Requests it allowed in those days' }),
        lastUsedOn: Nullable(Day, { description: 'The last day it was used; null: not in those days' }),
      }),
      { description: 'Every permission the token is granted, in catalogue order' },
    ),
    unusedPermissions: Type.Array(PermissionName, { description: 'The granted permissions it never used in those days' }),
    projects: Type.Array(Type.Object({ projectId: Type.String(), uses: Type.Integer({ minimum: 0 }) }), {
      description: 'The projects it was used in, most used first',
    }),
    unusedProjectIds: Type.Array(Type.String(), {
      description: 'Of a token limited to some projects, those it never used; [] when it is not limited',
    }),
  }),
);

const TokenGrant = Named(
  'TokenGrant',
  Type.Object({
    permissions: Nullable(Type.Array(PermissionName), {
      description: "A personal token's own permissions; null: not narrowed by the token (its role, scope or the agent matrix)",
    }),
    projectIds: Nullable(Type.Array(Type.String()), { description: 'The only projects it reaches; null: every project' }),
    scope: Nullable(StringEnum(ROLES), { description: "A workspace token's scope; null for other kinds" }),
  }),
);

export const TokenNarrowingSchema = Named(
  'TokenNarrowing',
  Type.Object({
    applied: Type.Boolean({ description: 'Whether the token was changed (never on a dry run, nor when nothing was left to remove)' }),
    before: TokenGrant,
    after: TokenGrant,
    removedPermissions: Type.Array(PermissionName),
    removedProjectIds: Type.Array(Type.String()),
  }),
);

export const NarrowBody = Named(
  'TokenNarrowRequest',
  StrictObject({
    dryRun: Type.Optional(Type.Boolean({ description: 'true: only preview what would be removed. The body may be omitted' })),
  }),
);

export const ProjectQuery = StrictObject({
  projectId: Type.Optional(IdOf('Explain what the token may do in this project (a project-scoped token may not reach it)')),
});
