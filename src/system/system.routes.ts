import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { permissionCatalogue } from '../authz/permissions.js';
import type { AppContext } from '../context.js';
import { pingDatabase } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { Unavailable } from '../http/schemas.js';
import { Health, PermissionCatalogue, Readiness } from './system.schemas.js';

/** Probes live outside /api/v1 and are never rate-limited: orchestrators poll them. */
export function healthRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/healthz',
      {
        config: { auth: 'public', rateLimit: false, usesDatabase: false },
        schema: {
          tags: ['system'],
          operationId: 'system.health',
          summary: 'The process is alive',
          description: 'A liveness probe: no credentials, never rate-limited, and it does not touch the database.',
          response: { 200: Health },
        },
      },
      async () => ({ status: 'ok' as const }),
    );

    // Dependencies' changes of state are logged through the app's logger from now on.
    ctx.statusLog.use(app.log);

    app.get(
      '/readyz',
      {
        config: { auth: 'public', rateLimit: false },
        schema: {
          tags: ['system'],
          operationId: 'system.ready',
          summary: 'The database answers',
          description:
            'A readiness probe: no credentials, never rate-limited. 503 DATABASE_UNAVAILABLE while the database cannot be reached ' +
            'or does not answer within the statement timeout. `rateLimits` says where request budgets are counted: `memory` (no Redis ' +
            'configured), `redis`, or `memory-fallback` while Redis does not answer: the server still serves (200), each process ' +
            'counting in its own memory, so taking it out of rotation would not help.',
          response: { 200: Readiness, ...Unavailable },
        },
      },
      async (request) => {
        try {
          await pingDatabase(ctx.db);
        } catch (err) {
          request.log.warn({ err }, 'readiness check failed');
          throw err instanceof AppError ? err : new AppError('DATABASE_UNAVAILABLE', 'The database is not reachable');
        }
        return { status: 'ready' as const, database: 'up' as const, rateLimits: ctx.rateLimiter.mode };
      },
    );
  };
}

export function catalogueRoutes(): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/permissions',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['system'],
          operationId: 'system.permissions',
          summary: 'The permission catalogue, grouped by category',
          description: 'Every permission Taskgate checks, with the least role that holds it. Anyone may read it, without credentials.',
          response: { 200: PermissionCatalogue },
        },
      },
      async () => ({ categories: permissionCatalogue() }),
    );

    app.get(
      '/openapi.json',
      {
        config: { auth: 'public' },
        schema: { hide: true },
      },
      async () => app.swagger(),
    );
  };
}
