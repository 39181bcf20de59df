import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.js';
import { authorize } from '../authz/authorize.js';
import type { AppContext } from '../context.js';
import { AuthErrors, IdParams, ListOf, Nullable, Pagination, StrictObject, Text, Timestamp } from '../http/schemas.js';
import { listEvents } from './events.service.js';

export const EventSchema = Type.Object({
  id: Type.String(),
  type: Type.String(),
  actor: Type.Object({ type: Type.String(), id: Type.String() }),
  resourceType: Type.String(),
  resourceId: Type.String(),
  projectId: Nullable(Type.String()),
  data: Type.Unknown(),
  createdAt: Timestamp,
});

export function eventRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/workspaces/:id/events', {
      config: { auth: 'any' },
      schema: {
        tags: ['events'],
        summary: "The workspace's domain events, newest first",
        params: IdParams,
        querystring: StrictObject({ ...Pagination, type: Type.Optional(Text({ maxLength: 100 })) }),
        response: { 200: ListOf(EventSchema), ...AuthErrors },
      },
    }, async (request) => {
      const access = await authorize(ctx.db, principalOf(request), request.params.id, 'events:read');
      return listEvents(ctx.db, request.params.id, { ...request.query, limit: request.query.limit ?? 50, projectIds: access.projectIds });
    });
  };
}
