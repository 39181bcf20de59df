import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors/app-error.js';
import { AuthErrors, IdParams, ListOf, Nullable, Timestamp } from '../http/schemas.js';
import { endOtherSessions, endSession, listSessions, toSessionView } from './sessions.service.js';

const SessionSchema = Type.Object({
  id: Type.String(),
  deviceLabel: Type.String(),
  userAgent: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  createdAt: Timestamp,
  lastSeenAt: Timestamp,
  expiresAt: Timestamp,
  current: Type.Boolean(),
});

function sessionPrincipal(request: Parameters<typeof principalOf>[0]) {
  const principal = principalOf(request);
  if (principal.kind !== 'session') throw new AppError('SESSION_REQUIRED', 'This route needs a signed-in session');
  return principal;
}

export function sessionRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/sessions', {
      config: { auth: 'session' },
      schema: { tags: ['sessions'], summary: 'Your signed-in sessions and devices', response: { 200: ListOf(SessionSchema), ...AuthErrors } },
    }, async (request) => {
      const principal = sessionPrincipal(request);
      const rows = await listSessions(ctx.db, principal.user.id);
      return {
        items: rows.map((row) => {
          const seen = ctx.usage.peek('session', row.id);
          return toSessionView(seen ? { ...row, last_seen_at: seen.at, ip: seen.ip } : row, principal.sessionId);
        }),
        nextCursor: null,
      };
    });

    app.delete('/sessions/:id', {
      config: { auth: 'session' },
      schema: { tags: ['sessions'], summary: 'End one session', params: IdParams, response: { 204: Type.Null(), ...AuthErrors } },
    }, async (request, reply) => {
      await endSession(ctx.db, sessionPrincipal(request).user.id, request.params.id);
      return reply.code(204).send(null);
    });

    app.delete('/sessions', {
      config: { auth: 'session' },
      schema: { tags: ['sessions'], summary: 'End every session but the current one', response: { 200: Type.Object({ ended: Type.Integer() }), ...AuthErrors } },
    }, async (request) => {
      const principal = sessionPrincipal(request);
      return { ended: await endOtherSessions(ctx.db, principal.user.id, principal.sessionId) };
    });
  };
}
