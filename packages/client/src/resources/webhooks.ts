import { pathId, type BodyOf, type CallOptions, type Core, type QueryOf } from '../core.js';

const webhook = (id: string) => ({ id: pathId(id, 'A webhook id') });
const delivery = (id: string) => ({ id: pathId(id, 'A delivery id') });

/** Webhook endpoints: signed HTTP callbacks for a workspace's events. */
export class WebhooksResource {
  constructor(private readonly core: Core) {}

  list(workspaceId: string, query: QueryOf<'/api/v1/workspaces/{id}/webhooks', 'get'> = {}, options?: CallOptions) {
    return this.core.paginate((cursor) =>
      this.core.send(
        this.core.api.GET('/api/v1/workspaces/{id}/webhooks', {
          params: { path: { id: pathId(workspaceId, 'A workspace id') }, query: { ...query, cursor } },
          ...this.core.init(options),
        }),
      ),
    );
  }

  get(id: string, options?: CallOptions) {
    return this.core.send(this.core.api.GET('/api/v1/webhooks/{id}', { params: { path: webhook(id) }, ...this.core.init(options) }));
  }

  /** Adds an endpoint; its signing secret (`secret`) is in this answer only. */
  create(workspaceId: string, body: BodyOf<'/api/v1/workspaces/{id}/webhooks', 'post'>, options?: CallOptions) {
    return this.core.send(
      this.core.api.POST('/api/v1/workspaces/{id}/webhooks', {
        params: { path: { id: pathId(workspaceId, 'A workspace id') } },
        body,
        ...this.core.init(options),
      }),
    );
  }

  update(id: string, body: BodyOf<'/api/v1/webhooks/{id}', 'patch'>, options?: CallOptions) {
    return this.core.send(
      this.core.api.PATCH('/api/v1/webhooks/{id}', { params: { path: webhook(id) }, body, ...this.core.init(options) }),
    );
  }

  async delete(id: string, options?: CallOptions): Promise<void> {
    await this.core.send(this.core.api.DELETE('/api/v1/webhooks/{id}', { params: { path: webhook(id) }, ...this.core.init(options) }));
  }

  /** A new signing secret; during `graceSeconds` deliveries carry both signatures. */
  rotateSecret(id: string, body: BodyOf<'/api/v1/webhooks/{id}/rotate-secret', 'post'> = {}, options?: CallOptions) {
    return this.core.send(
      this.core.api.POST('/api/v1/webhooks/{id}/rotate-secret', { params: { path: webhook(id) }, body, ...this.core.init(options) }),
    );
  }

  /** Queues a signed `ping` to the endpoint. */
  test(id: string, options?: CallOptions) {
    return this.core.send(this.core.api.POST('/api/v1/webhooks/{id}/test', { params: { path: webhook(id) }, ...this.core.init(options) }));
  }
}

/** The delivery history of webhook endpoints. */
export class DeliveriesResource {
  constructor(private readonly core: Core) {}

  list(webhookId: string, query: QueryOf<'/api/v1/webhooks/{id}/deliveries', 'get'> = {}, options?: CallOptions) {
    return this.core.paginate((cursor) =>
      this.core.send(
        this.core.api.GET('/api/v1/webhooks/{id}/deliveries', {
          params: { path: webhook(webhookId), query: { ...query, cursor } },
          ...this.core.init(options),
        }),
      ),
    );
  }

  /** One delivery, with its body and every attempt. */
  get(id: string, options?: CallOptions) {
    return this.core.send(
      this.core.api.GET('/api/v1/webhook-deliveries/{id}', { params: { path: delivery(id) }, ...this.core.init(options) }),
    );
  }

  /** Sends a delivery again: the same body and webhook-id. */
  redeliver(id: string, options?: CallOptions) {
    return this.core.send(
      this.core.api.POST('/api/v1/webhook-deliveries/{id}/redeliver', { params: { path: delivery(id) }, ...this.core.init(options) }),
    );
  }
}
