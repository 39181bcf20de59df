import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../auth/authenticate.js';
import { authorize } from '../authz/authorize.js';
import type { AppContext } from '../context.js';
import { Forbidden, IdParams, ListOf, NotFound } from '../http/schemas.js';
import { EventListQuery, EventSchema } from './events.schemas.js';
import { listEvents } from './events.service.js';

export function eventRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/workspaces/:id/events',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['events'],
          operationId: 'events.list',
          summary: "The workspace's domain events, newest first",
          description:
            'Needs `events:read`. Paged by cursor: pass `nextCursor` back as `cursor` until it is null. A token limited ' +
            'to some projects sees only the events of those projects.',
          params: IdParams,
          querystring: EventListQuery,
          response: { 200: ListOf(EventSchema), ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        const access = await authorize(ctx.db, principalOf(request), request.params.id, 'events:read');
        return listEvents(ctx.db, request.params.id, { ...request.query, limit: request.query.limit ?? 50, projectIds: access.projectIds });
      },
    );
  };
}
