import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../auth/authenticate.js';
import type { AppContext } from '../context.js';
import { NotFound } from '../http/schemas.js';
import { explainPermissions } from './me-permissions.js';
import { MePermissionsQuery, MePermissionsSchema } from './me-permissions.schemas.js';

export function mePermissionRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/me/permissions',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['users'],
          operationId: 'me.permissions',
          summary: 'Why the caller may or may not do each thing in a workspace',
          description:
            'Any credential may call it. Lists every permission of the catalogue with whether the caller holds it in the ' +
            'workspace (and, with `projectId`, in that project) and, when not, the first layer that removes it, as a 403 would ' +
            'name it in `refusedBy`: plan, project_restriction, role, token_permissions, delegation_scope or agent_matrix. ' +
            'Each layer is listed ' +
            'with what it lets through; the effective permissions are their intersection. A workspace that does not exist or ' +
            'where the caller has no standing answers 404, as a missing id does.',
          querystring: MePermissionsQuery,
          response: { 200: MePermissionsSchema, ...NotFound },
        },
      },
      async (request) => {
        const { workspaceId, projectId } = request.query;
        return explainPermissions(ctx.db, principalOf(request), workspaceId, projectId);
      },
    );
  };
}
