import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.js';
import { authorize } from '../authz/authorize.js';
import type { AppContext } from '../context.js';
import { Conflict, Forbidden, IdParams, ListOf, NotFound, Pagination, StrictObject } from '../http/schemas.js';
import { sendPing } from './deliveries.service.js';
import { verifyEncryptionKey } from './key-check.js';
import {
  DeliverySchema,
  CreateWebhookBody,
  RotateSecretBody,
  UpdateWebhookBody,
  WebhookSchema,
  WebhookWithSecretSchema,
} from './webhooks.schemas.js';
import { toWebhookView } from './webhook-view.js';
import { authorizeWebhook, createWebhook, deleteWebhook, listWebhooks, rotateWebhookSecret, updateWebhook } from './webhooks.service.js';

// A token limited to some projects reaches only webhooks limited to projects among its own.
const SCOPED = 'A token limited to some projects sees and manages only webhooks whose `projectIds` are among its projects.';

export function webhookRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Registered while the app is built, before it listens or starts the dispatcher: a server with the
    // wrong encryption key stops here, with a one-line reason, instead of failing every delivery.
    await verifyEncryptionKey(ctx.db, ctx.config);

    app.get(
      '/workspaces/:id/webhooks',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['webhooks'],
          operationId: 'webhooks.list',
          summary: "The workspace's webhook endpoints",
          description:
            `Needs \`webhooks:read\`. Oldest first, paged by cursor: pass \`nextCursor\` back as \`cursor\` until it is null. ` +
            `${SCOPED}`,
          params: IdParams,
          querystring: StrictObject(Pagination),
          response: { 200: ListOf(WebhookSchema), ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        const access = await authorize(ctx.db, principalOf(request), request.params.id, 'webhooks:read');
        return listWebhooks(ctx.db, access, { limit: request.query.limit ?? 50, cursor: request.query.cursor });
      },
    );

    app.post(
      '/workspaces/:id/webhooks',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['webhooks'],
          operationId: 'webhooks.create',
          summary: 'Add an endpoint (100 at most per workspace); the answer holds its signing secret, shown this once',
          description:
            'Needs `webhooks:write`. Keep `secret`: no other answer shows it (rotate it if lost). A URL that is not http(s), ' +
            `or whose host resolves to a private address, answers 400. The 101st endpoint answers 409 CONFLICT. ${SCOPED}`,
          params: IdParams,
          body: CreateWebhookBody,
          response: { 201: WebhookWithSecretSchema, ...Forbidden, ...NotFound, ...Conflict },
        },
      },
      async (request, reply) => {
        const access = await authorize(ctx.db, principalOf(request), request.params.id, 'webhooks:write');
        return reply.code(201).send(await createWebhook(ctx, access, request.body, request.ip));
      },
    );

    app.get(
      '/webhooks/:id',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['webhooks'],
          operationId: 'webhooks.get',
          summary: 'One endpoint, with why it was disabled if it was',
          description: `Needs \`webhooks:read\`. ${SCOPED}`,
          params: IdParams,
          response: { 200: WebhookSchema, ...Forbidden, ...NotFound },
        },
      },
      async (request) => toWebhookView((await authorizeWebhook(ctx.db, principalOf(request), request.params.id, 'webhooks:read')).row),
    );

    app.patch(
      '/webhooks/:id',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['webhooks'],
          operationId: 'webhooks.update',
          summary: 'Change an endpoint; enabling it again clears its failure record',
          description:
            'Needs `webhooks:write`. Disabling pauses its pending deliveries (and records webhook.disabled); enabling ' +
            `resumes them. ${SCOPED}`,
          params: IdParams,
          body: UpdateWebhookBody,
          response: { 200: WebhookSchema, ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        const target = await authorizeWebhook(ctx.db, principalOf(request), request.params.id, 'webhooks:write');
        return updateWebhook(ctx, target, request.body, request.ip);
      },
    );

    app.delete(
      '/webhooks/:id',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['webhooks'],
          operationId: 'webhooks.delete',
          summary: 'Delete an endpoint and its delivery history',
          description: `Needs \`webhooks:write\`; pending deliveries are never sent. ${SCOPED}`,
          params: IdParams,
          response: { 204: Type.Null(), ...Forbidden, ...NotFound },
        },
      },
      async (request, reply) => {
        const target = await authorizeWebhook(ctx.db, principalOf(request), request.params.id, 'webhooks:write');
        await deleteWebhook(ctx.db, target, request.ip);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/webhooks/:id/rotate-secret',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['webhooks'],
          operationId: 'webhooks.rotateSecret',
          summary: 'A new signing secret, shown once; the old one also signs until the grace period ends',
          description:
            'Needs `webhooks:write`. During the grace period each delivery carries two signatures, so the receiver can ' +
            `switch secrets without losing any; \`graceSeconds: 0\` drops the old secret at once. The body may be left out. ${SCOPED}`,
          params: IdParams,
          body: RotateSecretBody,
          response: { 200: WebhookWithSecretSchema, ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        const target = await authorizeWebhook(ctx.db, principalOf(request), request.params.id, 'webhooks:write');
        return rotateWebhookSecret(ctx, target, request.body.graceSeconds, request.ip);
      },
    );

    app.post(
      '/webhooks/:id/test',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['webhooks'],
          operationId: 'webhooks.test',
          summary: 'Queue a signed `ping` to the endpoint',
          description:
            'Needs `webhooks:write`. Answers 202 with the queued delivery: follow it with deliveries.get. A disabled ' +
            `endpoint answers 409 CONFLICT. The ping is not recorded as an event. ${SCOPED}`,
          params: IdParams,
          response: { 202: DeliverySchema, ...Forbidden, ...NotFound, ...Conflict },
        },
      },
      async (request, reply) => {
        const target = await authorizeWebhook(ctx.db, principalOf(request), request.params.id, 'webhooks:write');
        return reply.code(202).send(await sendPing(ctx, target));
      },
    );
  };
}
