import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { invalidField } from '../errors/validation.js';
import { StrictObject } from './schemas.js';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function isEmptyBody(body: unknown): boolean {
  return body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0);
}

/**
 * An action (POST) whose body fields are all optional (a rotation's grace period, a completion's
 * note) may leave its body out: it counts as `{}`. An edit (PATCH, PUT) always says what it changes.
 * The OpenAPI document says so too (src/openapi/responses.ts).
 */
export function bodyMayBeOmitted(methods: readonly string[], body: unknown): boolean {
  if (methods.length !== 1 || methods[0] !== 'POST') return false;
  if (typeof body !== 'object' || body === null) return false;
  const { type, required, minProperties } = body as { type?: unknown; required?: unknown; minProperties?: unknown };
  const noneRequired = !Array.isArray(required) || required.length === 0;
  return type === 'object' && noneRequired && !(typeof minProperties === 'number' && minProperties > 0);
}

async function omittedBodyIsEmpty(request: FastifyRequest): Promise<void> {
  request.body ??= {};
}

function prependPreValidation(route: RouteOptions, hook: (request: FastifyRequest) => Promise<void>): void {
  const existing = route.preValidation ? [route.preValidation].flat() : [];
  route.preValidation = [hook, ...existing];
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
    if (route.schema.body) {
      if (bodyMayBeOmitted(methods, route.schema.body)) prependPreValidation(route, omittedBodyIsEmpty);
      return;
    }
    if (!methods.some((m) => BODY_METHODS.has(m))) return;
    prependPreValidation(route, async (request) => {
      if (!isEmptyBody(request.body)) {
        throw invalidField('body', 'must be empty: this route takes no request body');
      }
    });
  });
}
