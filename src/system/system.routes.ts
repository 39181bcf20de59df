import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { permissionCatalogue } from '../authz/permissions.js';
import type { AppContext } from '../context.js';
import { pingDatabase } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { ErrorResponse } from '../http/schemas.js';

export const PermissionCatalogueSchema = Type.Array(Type.Object({
  category: Type.String(),
  permissions: Type.Array(Type.Object({ name: Type.String(), description: Type.String(), minimumRole: Type.String() })),
}));

/** Probes live outside /api/v1 and are never rate-limited: orchestrators poll them. */
export function healthRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/healthz', {
      config: { auth: 'public', rateLimit: false },
      schema: { tags: ['system'], summary: 'The process is alive', response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
    }, async () => ({ status: 'ok' as const }));

    app.get('/readyz', {
      config: { auth: 'public', rateLimit: false },
      schema: { tags: ['system'], summary: 'The database answers', response: { 200: Type.Object({ status: Type.Literal('ready') }), 503: ErrorResponse } },
    }, async (request) => {
      try {
        await pingDatabase(ctx.db);
      } catch (err) {
        request.log.warn({ err }, 'readiness check failed');
        throw new AppError('SERVICE_UNAVAILABLE', 'The database is not reachable');
      }
      return { status: 'ready' as const };
    });
  };
}

export function catalogueRoutes(): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/permissions', {
      config: { auth: 'public' },
      schema: { tags: ['system'], summary: 'The permission catalogue, grouped by category', response: { 200: Type.Object({ categories: PermissionCatalogueSchema }) } },
    }, async () => ({ categories: permissionCatalogue() }));

    app.get('/openapi.json', {
      config: { auth: 'public' },
      schema: { hide: true },
    }, async () => app.swagger());
  };
}
