import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors/app-error.js';
import { IdParams, ListOf, NotFound } from '../http/schemas.js';
import { EndedSessions, SessionSchema } from './sessions.schemas.js';
import { endOtherSessions, endSession, listSessions, toSessionView } from './sessions.service.js';

function sessionPrincipal(request: Parameters<typeof principalOf>[0]) {
  const principal = principalOf(request);
  if (principal.kind !== 'session') throw new AppError('SESSION_REQUIRED', 'This route needs a signed-in session');
  return principal;
}

export function sessionRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/sessions',
      {
        config: { auth: 'session' },
        schema: {
          tags: ['sessions'],
          operationId: 'sessions.list',
          summary: 'Your signed-in sessions and devices',
          description:
            'From a signed-in session only (API tokens get 403 SESSION_REQUIRED). Every unexpired session of yours, newest ' +
            'first, in one page: `nextCursor` is always null.',
          response: { 200: ListOf(SessionSchema) },
        },
      },
      async (request) => {
        const principal = sessionPrincipal(request);
        const rows = await listSessions(ctx.db, principal.user.id);
        return {
          items: rows.map((row) => {
            const seen = ctx.usage.peek('sessions', row.id);
            return toSessionView(seen ? { ...row, last_seen_at: seen.at, ip: seen.ip } : row, principal.sessionId);
          }),
          nextCursor: null,
        };
      },
    );

    app.delete(
      '/sessions/:id',
      {
        config: { auth: 'session' },
        schema: {
          tags: ['sessions'],
          operationId: 'sessions.revoke',
          summary: 'End one session',
          description:
            'From a signed-in session only. Ends one of your sessions, the current one included: its token stops working at ' +
            'once. 404: no such session of yours (or it has already ended).',
          params: IdParams,
          response: { 204: Type.Null(), ...NotFound },
        },
      },
      async (request, reply) => {
        await endSession(ctx.db, sessionPrincipal(request).user.id, request.params.id, { how: 'revoked', ip: request.ip });
        return reply.code(204).send(null);
      },
    );

    // Like revoking every token: its own request, never a DELETE on the collection (see personal-tokens.routes.ts).
    app.post(
      '/sessions/revoke-others',
      {
        config: { auth: 'session' },
        schema: {
          tags: ['sessions'],
          operationId: 'sessions.revokeOthers',
          summary: 'End every session but the current one',
          description: 'From a signed-in session only: signs you out everywhere else. Your API tokens are not affected. It takes no body.',
          response: { 200: EndedSessions },
        },
      },
      async (request) => {
        const principal = sessionPrincipal(request);
        return { ended: await endOtherSessions(ctx.db, principal.user.id, principal.sessionId, request.ip) };
      },
    );
  };
}
