import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { userOfRequest } from '../auth/authenticate.js';
import type { AppContext } from '../context.js';
import { ListOf, Pagination, StrictObject } from '../http/schemas.js';
import { AuditEntrySchema } from './audit.schemas.js';
import { listAuditForUser } from './audit.service.js';

export function auditRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Sessions only: a leaked token must not be able to read whether its use has been noticed.
    app.get(
      '/me/audit-log',
      {
        config: { auth: 'session' },
        schema: {
          tags: ['tokens'],
          operationId: 'auditLog.list',
          summary: 'Security events on your account and tokens, newest first',
          description:
            'From a signed-in session only, so a leaked token cannot see whether its use was noticed. Lists changes to your ' +
            'personal tokens, the workspace tokens, agents and webhooks you changed, and refused uses of revoked or expired tokens. ' +
            'Paged: pass `nextCursor` as `cursor`.',
          querystring: StrictObject(Pagination),
          response: { 200: ListOf(AuditEntrySchema) },
        },
      },
      async (request) => listAuditForUser(ctx.db, userOfRequest(request).id, { ...request.query, limit: request.query.limit ?? 50 }),
    );
  };
}
