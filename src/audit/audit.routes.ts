import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { userOfRequest } from '../auth/authenticate.js';
import type { AppContext } from '../context.js';
import { AuthErrors, ListOf, Nullable, Pagination, StrictObject, Timestamp } from '../http/schemas.js';
import { listAuditForUser } from './audit.service.js';

const AuditEntrySchema = Type.Object({
  id: Type.String(),
  workspaceId: Nullable(Type.String()),
  actor: Type.Object({ type: Type.String(), id: Type.String() }),
  action: Type.String({ description: 'e.g. token.created, token.rotated, token.revoked, token.revoked_all, token.use_refused' }),
  targetType: Type.String(),
  targetId: Type.String(),
  ip: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Timestamp,
});

export function auditRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Sessions only: a leaked token must not be able to read whether its use has been noticed.
    app.get('/me/audit-log', {
      config: { auth: 'session' },
      schema: {
        tags: ['users'],
        summary: 'Security events on your account and tokens, newest first',
        querystring: StrictObject(Pagination),
        response: { 200: ListOf(AuditEntrySchema), ...AuthErrors },
      },
    }, async (request) => listAuditForUser(ctx.db, userOfRequest(request).id, { ...request.query, limit: request.query.limit ?? 50 }));
  };
}
