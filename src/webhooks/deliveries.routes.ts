import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../auth/authenticate.js';
import type { AppContext } from '../context.js';
import { Conflict, Forbidden, IdParams, ListOf, NotFound } from '../http/schemas.js';
import { authorizeDelivery, deliveryDetail, listDeliveries, redeliver } from './deliveries.service.js';
import { DeliveryDetailSchema, DeliveryQuery, DeliverySchema } from './webhooks.schemas.js';
import { authorizeWebhook } from './webhooks.service.js';

// A delivery is seen by whoever may see its webhook (src/webhooks/deliveries.service.ts).
const SCOPED = 'A token limited to some projects reaches only deliveries of webhooks whose `projectIds` are among its projects.';

export function deliveryRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/webhooks/:id/deliveries',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['webhooks'],
          operationId: 'deliveries.list',
          summary: "An endpoint's deliveries, newest first",
          description: `Needs \`webhooks:read\`. Paged by cursor: pass \`nextCursor\` back as \`cursor\` until it is null. ${SCOPED}`,
          params: IdParams,
          querystring: DeliveryQuery,
          response: { 200: ListOf(DeliverySchema), ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        const { row } = await authorizeWebhook(ctx.db, principalOf(request), request.params.id, 'webhooks:read');
        return listDeliveries(ctx.db, row.id, { ...request.query, limit: request.query.limit ?? 50 });
      },
    );

    app.get(
      '/webhook-deliveries/:id',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['webhooks'],
          operationId: 'deliveries.get',
          summary: 'One delivery, its body and every attempt',
          description: `Needs \`webhooks:read\`. ${SCOPED}`,
          params: IdParams,
          response: { 200: DeliveryDetailSchema, ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        const { delivery } = await authorizeDelivery(ctx.db, principalOf(request), request.params.id, 'webhooks:read');
        return deliveryDetail(ctx.db, delivery);
      },
    );

    app.post(
      '/webhook-deliveries/:id/redeliver',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['webhooks'],
          operationId: 'deliveries.redeliver',
          summary: 'Send a delivery again (same body and webhook-id)',
          description:
            "Needs `webhooks:write`. Starts the retry schedule afresh, whatever the delivery's status; receivers can " +
            `recognise the repeat by its webhook-id. A disabled endpoint answers 409 CONFLICT. ${SCOPED}`,
          params: IdParams,
          response: { 202: DeliverySchema, ...Forbidden, ...NotFound, ...Conflict },
        },
      },
      async (request, reply) => {
        const target = await authorizeDelivery(ctx.db, principalOf(request), request.params.id, 'webhooks:write');
        return reply.code(202).send(await redeliver(ctx, target));
      },
    );
  };
}
