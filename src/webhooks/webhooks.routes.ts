import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.js';
import { authorize } from '../authz/authorize.js';
import type { AppContext } from '../context.js';
import { AuthErrors, ErrorResponse, IdParams, ListOf, Pagination, StrictObject } from '../http/schemas.js';
import { sendPing } from './deliveries.service.js';
import { verifyEncryptionKey } from './key-check.js';
import { DeliverySchema, CreateWebhookBody, RotateSecretBody, UpdateWebhookBody, WebhookSchema, WebhookWithSecretSchema } from './webhooks.schemas.js';
import { toWebhookView } from './webhook-view.js';
import { authorizeWebhook, createWebhook, deleteWebhook, listWebhooks, rotateWebhookSecret, updateWebhook } from './webhooks.service.js';

const Conflict = { 409: ErrorResponse };

export function webhookRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Registered while the app is built, before it listens or starts the dispatcher: a server with the
    // wrong encryption key stops here, with a one-line reason, instead of failing every delivery.
    await verifyEncryptionKey(ctx.db, ctx.config);

    app.get('/workspaces/:id/webhooks', {
      config: { auth: 'any' },
      schema: { tags: ['webhooks'], summary: "The workspace's webhook endpoints", params: IdParams, querystring: StrictObject(Pagination), response: { 200: ListOf(WebhookSchema), ...AuthErrors } },
    }, async (request) => {
      const access = await authorize(ctx.db, principalOf(request), request.params.id, 'webhooks:read');
      return listWebhooks(ctx.db, access, { limit: request.query.limit ?? 50, cursor: request.query.cursor });
    });

    app.post('/workspaces/:id/webhooks', {
      config: { auth: 'any' },
      schema: {
        tags: ['webhooks'],
        summary: 'Add an endpoint (100 at most per workspace); the answer holds its signing secret, shown this once',
        params: IdParams,
        body: CreateWebhookBody,
        response: { 201: WebhookWithSecretSchema, ...AuthErrors, ...Conflict },
      },
    }, async (request, reply) => {
      const access = await authorize(ctx.db, principalOf(request), request.params.id, 'webhooks:write');
      return reply.code(201).send(await createWebhook(ctx, access, request.body, request.ip));
    });

    app.get('/webhooks/:id', {
      config: { auth: 'any' },
      schema: { tags: ['webhooks'], summary: 'One endpoint, with why it was disabled if it was', params: IdParams, response: { 200: WebhookSchema, ...AuthErrors } },
    }, async (request) => toWebhookView((await authorizeWebhook(ctx.db, principalOf(request), request.params.id, 'webhooks:read')).row));

    app.patch('/webhooks/:id', {
      config: { auth: 'any' },
      schema: {
        tags: ['webhooks'],
        summary: 'Change an endpoint; enabling it again clears its failure record',
        params: IdParams,
        body: UpdateWebhookBody,
        response: { 200: WebhookSchema, ...AuthErrors },
      },
    }, async (request) => {
      const target = await authorizeWebhook(ctx.db, principalOf(request), request.params.id, 'webhooks:write');
      return updateWebhook(ctx, target, request.body, request.ip);
    });

    app.delete('/webhooks/:id', {
      config: { auth: 'any' },
      schema: { tags: ['webhooks'], summary: 'Delete an endpoint and its delivery history', params: IdParams, response: { 204: Type.Null(), ...AuthErrors } },
    }, async (request, reply) => {
      const target = await authorizeWebhook(ctx.db, principalOf(request), request.params.id, 'webhooks:write');
      await deleteWebhook(ctx.db, target, request.ip);
      return reply.code(204).send(null);
    });

    app.post('/webhooks/:id/rotate-secret', {
      config: { auth: 'any' },
      schema: {
        tags: ['webhooks'],
        summary: 'A new signing secret, shown once; the old one also signs until the grace period ends',
        params: IdParams,
        body: RotateSecretBody,
        response: { 200: WebhookWithSecretSchema, ...AuthErrors },
      },
      // A rotation with the default grace may come with no body at all.
      preValidation: async (request) => {
        request.body ??= {};
      },
    }, async (request) => {
      const target = await authorizeWebhook(ctx.db, principalOf(request), request.params.id, 'webhooks:write');
      return rotateWebhookSecret(ctx, target, request.body.graceSeconds, request.ip);
    });

    app.post('/webhooks/:id/test', {
      config: { auth: 'any' },
      schema: { tags: ['webhooks'], summary: 'Queue a signed `ping` to the endpoint', params: IdParams, response: { 202: DeliverySchema, ...AuthErrors, ...Conflict } },
    }, async (request, reply) => {
      const target = await authorizeWebhook(ctx.db, principalOf(request), request.params.id, 'webhooks:write');
      return reply.code(202).send(await sendPing(ctx, target));
    });
  };
}
