import { Type } from 'typebox';
import { PERMISSION_NAMES } from '../authz/permissions.js';
import { ROLES } from '../authz/roles.js';
import { Named } from '../http/schemas.js';
import { StringEnum } from '../http/common-schemas.js';

export const PermissionName = Named(
  'PermissionName',
  StringEnum(PERMISSION_NAMES, { description: 'A permission from the catalogue (GET /permissions)' }),
);

const PermissionSchema = Named(
  'Permission',
  Type.Object({
    name: PermissionName,
    description: Type.String(),
    minimumRole: StringEnum(ROLES, { description: 'The least workspace role that holds it; every role above holds it too' }),
  }),
);

const PermissionCategory = Named(
  'PermissionCategory',
  Type.Object({
    category: Type.String({ description: 'e.g. Tasks, Agents, Access tokens' }),
    permissions: Type.Array(PermissionSchema),
  }),
);

/** The permission catalogue as GET /permissions and GET /tokens/permissions answer it. */
export const PermissionCatalogue = Named('PermissionCatalogue', Type.Object({ categories: Type.Array(PermissionCategory) }));

export const Readiness = Named(
  'Readiness',
  Type.Object({
    status: Type.Literal('ready'),
    database: Type.Literal('up'),
    rateLimits: StringEnum(['memory', 'redis', 'memory-fallback'] as const, { description: 'Where request budgets are counted right now' }),
  }),
);

export const Health = Named('Health', Type.Object({ status: Type.Literal('ok') }));
