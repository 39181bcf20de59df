import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../auth/authenticate.js';
import type { AppContext } from '../context.js';
import { AuthErrors, ErrorResponse, IdParams, ListOf } from '../http/schemas.js';
import { authorizeDelivery, deliveryDetail, listDeliveries, redeliver } from './deliveries.service.js';
import { DeliveryDetailSchema, DeliveryQuery, DeliverySchema } from './webhooks.schemas.js';
import { authorizeWebhook } from './webhooks.service.js';

export function deliveryRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/webhooks/:id/deliveries', {
      config: { auth: 'any' },
      schema: { tags: ['webhooks'], summary: "An endpoint's deliveries, newest first", params: IdParams, querystring: DeliveryQuery, response: { 200: ListOf(DeliverySchema), ...AuthErrors } },
    }, async (request) => {
      const { row } = await authorizeWebhook(ctx.db, principalOf(request), request.params.id, 'webhooks:read');
      return listDeliveries(ctx.db, row.id, { ...request.query, limit: request.query.limit ?? 50 });
    });

    app.get('/webhook-deliveries/:id', {
      config: { auth: 'any' },
      schema: { tags: ['webhooks'], summary: 'One delivery, its body and every attempt', params: IdParams, response: { 200: DeliveryDetailSchema, ...AuthErrors } },
    }, async (request) => {
      const { delivery } = await authorizeDelivery(ctx.db, principalOf(request), request.params.id, 'webhooks:read');
      return deliveryDetail(ctx.db, delivery);
    });

    app.post('/webhook-deliveries/:id/redeliver', {
      config: { auth: 'any' },
      schema: { tags: ['webhooks'], summary: 'Send a delivery again (same body and webhook-id)', params: IdParams, response: { 202: DeliverySchema, ...AuthErrors, 409: ErrorResponse } },
    }, async (request, reply) => {
      const target = await authorizeDelivery(ctx.db, principalOf(request), request.params.id, 'webhooks:write');
      return reply.code(202).send(await redeliver(ctx, target));
    });
  };
}
