import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/app-error.js';
import { StrictObject } from './schemas.js';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function isEmptyBody(body: unknown): boolean {
  return body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0);
}

/**
 * Every route validates all of its input, including the parts it does not use: a route without a
 * query schema takes no query parameters, and one without a body schema takes no body. A typo'd
 * parameter is refused with 400 instead of being silently ignored.
 */
export function registerStrictInput(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) return;
    route.schema = { ...route.schema, querystring: route.schema?.querystring ?? StrictObject({}) };
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (route.schema.body || !methods.some((m) => BODY_METHODS.has(m))) return;
    const existing = route.preValidation ? [route.preValidation].flat() : [];
    route.preValidation = [
      async (request) => {
        if (!isEmptyBody(request.body)) {
          throw new AppError('VALIDATION_FAILED', 'This route takes no request body', { fields: [{ field: 'body', message: 'must be empty' }] });
        }
      },
      ...existing,
    ];
  });
}
