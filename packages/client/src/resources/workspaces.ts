import { pathId, type BodyOf, type CallOptions, type Core, type QueryOf } from '../core.js';
import { eventStream, type EventStream, type EventStreamOptions } from './events.js';

const workspace = (id: string) => ({ id: pathId(id, 'A workspace id') });

export class WorkspacesResource {
  constructor(private readonly core: Core) {}

  /** The workspaces you belong to (one page holds them all). */
  list(options?: CallOptions) {
    return this.core.paginate(() => this.core.send(this.core.api.GET('/api/v1/workspaces', this.core.init(options))));
  }

  get(id: string, options?: CallOptions) {
    return this.core.send(this.core.api.GET('/api/v1/workspaces/{id}', { params: { path: workspace(id) }, ...this.core.init(options) }));
  }

  create(body: BodyOf<'/api/v1/workspaces', 'post'>, options?: CallOptions) {
    return this.core.send(this.core.api.POST('/api/v1/workspaces', { body, ...this.core.init(options) }));
  }

  update(id: string, body: BodyOf<'/api/v1/workspaces/{id}', 'patch'>, options?: CallOptions) {
    return this.core.send(
      this.core.api.PATCH('/api/v1/workspaces/{id}', { params: { path: workspace(id) }, body, ...this.core.init(options) }),
    );
  }

  async delete(id: string, options?: CallOptions): Promise<void> {
    await this.core.send(this.core.api.DELETE('/api/v1/workspaces/{id}', { params: { path: workspace(id) }, ...this.core.init(options) }));
  }
}

export class MembersResource {
  constructor(private readonly core: Core) {}

  /** Members and their roles (one page holds them all). */
  list(workspaceId: string, options?: CallOptions) {
    return this.core.paginate(() =>
      this.core.send(
        this.core.api.GET('/api/v1/workspaces/{id}/members', { params: { path: workspace(workspaceId) }, ...this.core.init(options) }),
      ),
    );
  }

  /** @deprecated Invites the address (as `invitations.create`): nobody becomes a member without accepting. */
  add(workspaceId: string, body: BodyOf<'/api/v1/workspaces/{id}/members', 'post'>, options?: CallOptions) {
    return this.core.send(
      this.core.api.POST('/api/v1/workspaces/{id}/members', { params: { path: workspace(workspaceId) }, body, ...this.core.init(options) }),
    );
  }

  update(workspaceId: string, userId: string, body: BodyOf<'/api/v1/workspaces/{id}/members/{userId}', 'patch'>, options?: CallOptions) {
    const path = { ...workspace(workspaceId), userId: pathId(userId, 'A user id') };
    return this.core.send(
      this.core.api.PATCH('/api/v1/workspaces/{id}/members/{userId}', { params: { path }, body, ...this.core.init(options) }),
    );
  }

  /** Removes a member (or yourself: leaving). */
  async remove(workspaceId: string, userId: string, options?: CallOptions): Promise<void> {
    const path = { ...workspace(workspaceId), userId: pathId(userId, 'A user id') };
    await this.core.send(
      this.core.api.DELETE('/api/v1/workspaces/{id}/members/{userId}', { params: { path }, ...this.core.init(options) }),
    );
  }
}

/** Workspace access tokens (tgw_): a workspace's API keys, acting with one role. */
/** Membership by invitation: an admin invites an address, the account behind it accepts or declines. */
export class InvitationsResource {
  constructor(private readonly core: Core) {}

  /** Invites an address; the answer is the same whether or not an account uses it. */
  create(workspaceId: string, body: BodyOf<'/api/v1/workspaces/{id}/invitations', 'post'>, options?: CallOptions) {
    return this.core.send(
      this.core.api.POST('/api/v1/workspaces/{id}/invitations', {
        params: { path: workspace(workspaceId) },
        body,
        ...this.core.init(options),
      }),
    );
  }

  /** The workspace's invitations, newest first (needs `members:write`). */
  list(workspaceId: string, query: QueryOf<'/api/v1/workspaces/{id}/invitations', 'get'> = {}, options?: CallOptions) {
    return this.core.paginate((cursor) =>
      this.core.send(
        this.core.api.GET('/api/v1/workspaces/{id}/invitations', {
          params: { path: workspace(workspaceId), query: { ...query, cursor } },
          ...this.core.init(options),
        }),
      ),
    );
  }

  async revoke(workspaceId: string, invitationId: string, options?: CallOptions): Promise<void> {
    const path = { ...workspace(workspaceId), invitationId: pathId(invitationId, 'An invitation id') };
    await this.core.send(
      this.core.api.DELETE('/api/v1/workspaces/{id}/invitations/{invitationId}', { params: { path }, ...this.core.init(options) }),
    );
  }

  /** Invitations addressed to you that you can still accept. */
  listMine(options?: CallOptions) {
    return this.core.paginate(() => this.core.send(this.core.api.GET('/api/v1/me/invitations', this.core.init(options))));
  }

  /** Joins the workspace (a signed-in session only); answers your membership. */
  accept(invitationId: string, options?: CallOptions) {
    const path = { id: pathId(invitationId, 'An invitation id') };
    return this.core.send(this.core.api.POST('/api/v1/invitations/{id}/accept', { params: { path }, ...this.core.init(options) }));
  }

  async decline(invitationId: string, options?: CallOptions): Promise<void> {
    const path = { id: pathId(invitationId, 'An invitation id') };
    await this.core.send(this.core.api.POST('/api/v1/invitations/{id}/decline', { params: { path }, ...this.core.init(options) }));
  }
}

export class AccessTokensResource {
  constructor(private readonly core: Core) {}

  list(workspaceId: string, query: QueryOf<'/api/v1/workspaces/{id}/access-tokens', 'get'> = {}, options?: CallOptions) {
    return this.core.paginate((cursor) =>
      this.core.send(
        this.core.api.GET('/api/v1/workspaces/{id}/access-tokens', {
          params: { path: workspace(workspaceId), query: { ...query, cursor } },
          ...this.core.init(options),
        }),
      ),
    );
  }

  /** Creates a key; its secret (`token`) is in this answer only. */
  create(workspaceId: string, body: BodyOf<'/api/v1/workspaces/{id}/access-tokens', 'post'>, options?: CallOptions) {
    return this.core.send(
      this.core.api.POST('/api/v1/workspaces/{id}/access-tokens', {
        params: { path: workspace(workspaceId) },
        body,
        ...this.core.init(options),
      }),
    );
  }

  /** Edits a key, or disables (`{ enabled: false }`) and re-enables it. */
  update(
    workspaceId: string,
    tokenId: string,
    body: BodyOf<'/api/v1/workspaces/{id}/access-tokens/{tokenId}', 'patch'>,
    options?: CallOptions,
  ) {
    const path = { ...workspace(workspaceId), tokenId: pathId(tokenId, 'A token id') };
    return this.core.send(
      this.core.api.PATCH('/api/v1/workspaces/{id}/access-tokens/{tokenId}', { params: { path }, body, ...this.core.init(options) }),
    );
  }

  async delete(workspaceId: string, tokenId: string, options?: CallOptions): Promise<void> {
    const path = { ...workspace(workspaceId), tokenId: pathId(tokenId, 'A token id') };
    await this.core.send(
      this.core.api.DELETE('/api/v1/workspaces/{id}/access-tokens/{tokenId}', { params: { path }, ...this.core.init(options) }),
    );
  }

  /** Which permissions and projects the key used in the last 30 days, and which granted ones it never did. */
  usage(workspaceId: string, tokenId: string, options?: CallOptions) {
    const path = { ...workspace(workspaceId), tokenId: pathId(tokenId, 'A token id') };
    return this.core.send(
      this.core.api.GET('/api/v1/workspaces/{id}/access-tokens/{tokenId}/usage', { params: { path }, ...this.core.init(options) }),
    );
  }

  /** Narrows the key's scope to the narrowest role covering what it used (`{ dryRun: true }` only previews it). */
  narrow(
    workspaceId: string,
    tokenId: string,
    body: BodyOf<'/api/v1/workspaces/{id}/access-tokens/{tokenId}/narrow', 'post'> = {},
    options?: CallOptions,
  ) {
    const path = { ...workspace(workspaceId), tokenId: pathId(tokenId, 'A token id') };
    return this.core.send(
      this.core.api.POST('/api/v1/workspaces/{id}/access-tokens/{tokenId}/narrow', { params: { path }, body, ...this.core.init(options) }),
    );
  }

  /** What the key may do in its workspace (and a project), layer by layer. */
  explainPermissions(
    workspaceId: string,
    tokenId: string,
    query: QueryOf<'/api/v1/workspaces/{id}/access-tokens/{tokenId}/permissions', 'get'> = {},
    options?: CallOptions,
  ) {
    const path = { ...workspace(workspaceId), tokenId: pathId(tokenId, 'A token id') };
    return this.core.send(
      this.core.api.GET('/api/v1/workspaces/{id}/access-tokens/{tokenId}/permissions', {
        params: { path, query },
        ...this.core.init(options),
      }),
    );
  }
}

/** Agents: automated workers with their own tokens (tga_). */
export class AgentsResource {
  constructor(private readonly core: Core) {}

  list(workspaceId: string, query: QueryOf<'/api/v1/workspaces/{id}/agents', 'get'> = {}, options?: CallOptions) {
    return this.core.paginate((cursor) =>
      this.core.send(
        this.core.api.GET('/api/v1/workspaces/{id}/agents', {
          params: { path: workspace(workspaceId), query: { ...query, cursor } },
          ...this.core.init(options),
        }),
      ),
    );
  }

  get(id: string, options?: CallOptions) {
    return this.core.send(
      this.core.api.GET('/api/v1/agents/{id}', { params: { path: { id: pathId(id, 'An agent id') } }, ...this.core.init(options) }),
    );
  }

  /** Registers an agent; its token is in this answer only. */
  register(workspaceId: string, body: BodyOf<'/api/v1/workspaces/{id}/agents', 'post'>, options?: CallOptions) {
    return this.core.send(
      this.core.api.POST('/api/v1/workspaces/{id}/agents', { params: { path: workspace(workspaceId) }, body, ...this.core.init(options) }),
    );
  }

  update(id: string, body: BodyOf<'/api/v1/agents/{id}', 'patch'>, options?: CallOptions) {
    return this.core.send(
      this.core.api.PATCH('/api/v1/agents/{id}', { params: { path: { id: pathId(id, 'An agent id') } }, body, ...this.core.init(options) }),
    );
  }

  async delete(id: string, options?: CallOptions): Promise<void> {
    await this.core.send(
      this.core.api.DELETE('/api/v1/agents/{id}', { params: { path: { id: pathId(id, 'An agent id') } }, ...this.core.init(options) }),
    );
  }

  /** A new token for the agent; the old one keeps working for `graceSeconds` (at most 24 h). */
  reissueToken(id: string, body: BodyOf<'/api/v1/agents/{id}/token', 'post'> = {}, options?: CallOptions) {
    return this.core.send(
      this.core.api.POST('/api/v1/agents/{id}/token', {
        params: { path: { id: pathId(id, 'An agent id') } },
        body,
        ...this.core.init(options),
      }),
    );
  }

  async revokeToken(id: string, options?: CallOptions): Promise<void> {
    await this.core.send(
      this.core.api.DELETE('/api/v1/agents/{id}/token', {
        params: { path: { id: pathId(id, 'An agent id') } },
        ...this.core.init(options),
      }),
    );
  }

  /** Which permissions and projects the agent used in the last 30 days, and which granted ones it never did. */
  usage(id: string, options?: CallOptions) {
    return this.core.send(
      this.core.api.GET('/api/v1/agents/{id}/usage', { params: { path: { id: pathId(id, 'An agent id') } }, ...this.core.init(options) }),
    );
  }

  /** An agent holds the fixed agent matrix: the answer always says nothing was narrowed. */
  narrow(id: string, body: BodyOf<'/api/v1/agents/{id}/narrow', 'post'> = {}, options?: CallOptions) {
    return this.core.send(
      this.core.api.POST('/api/v1/agents/{id}/narrow', {
        params: { path: { id: pathId(id, 'An agent id') } },
        body,
        ...this.core.init(options),
      }),
    );
  }

  /** What the agent may do in its workspace (and a project), layer by layer. */
  explainPermissions(id: string, query: QueryOf<'/api/v1/agents/{id}/permissions', 'get'> = {}, options?: CallOptions) {
    return this.core.send(
      this.core.api.GET('/api/v1/agents/{id}/permissions', {
        params: { path: { id: pathId(id, 'An agent id') }, query },
        ...this.core.init(options),
      }),
    );
  }
}

/** The domain events a workspace records, newest first. */
export class EventsResource {
  constructor(private readonly core: Core) {}

  list(workspaceId: string, query: QueryOf<'/api/v1/workspaces/{id}/events', 'get'> = {}, options?: CallOptions) {
    return this.core.paginate((cursor) =>
      this.core.send(
        this.core.api.GET('/api/v1/workspaces/{id}/events', {
          params: { path: workspace(workspaceId), query: { ...query, cursor } },
          ...this.core.init(options),
        }),
      ),
    );
  }

  /**
   * The workspace's events as they happen (Server-Sent Events), oldest first; reconnects by itself.
   *
   * ```ts
   * for await (const event of tg.events.stream(workspaceId, { signal })) console.log(event.type);
   * ```
   */
  stream(workspaceId: string, options?: EventStreamOptions): EventStream {
    return eventStream(this.core, pathId(workspaceId, 'A workspace id'), options);
  }
}

/** Instance administration (an instance admin's session only). */
export class AdminResource {
  constructor(private readonly core: Core) {}

  /** Every user of the instance, newest first; `q` matches email or name, `blocked` filters. */
  listUsers(query: QueryOf<'/api/v1/admin/users', 'get'> = {}, options?: CallOptions) {
    return this.core.paginate((cursor) =>
      this.core.send(this.core.api.GET('/api/v1/admin/users', { params: { query: { ...query, cursor } }, ...this.core.init(options) })),
    );
  }

  /** Every workspace of the instance with its plan and member count, newest first; `q` matches the name. */
  listWorkspaces(query: QueryOf<'/api/v1/admin/workspaces', 'get'> = {}, options?: CallOptions) {
    return this.core.paginate((cursor) =>
      this.core.send(
        this.core.api.GET('/api/v1/admin/workspaces', { params: { query: { ...query, cursor } }, ...this.core.init(options) }),
      ),
    );
  }

  blockUser(userId: string, options?: CallOptions) {
    return this.core.send(
      this.core.api.POST('/api/v1/admin/users/{id}/block', {
        params: { path: { id: pathId(userId, 'A user id') } },
        ...this.core.init(options),
      }),
    );
  }

  unblockUser(userId: string, options?: CallOptions) {
    return this.core.send(
      this.core.api.POST('/api/v1/admin/users/{id}/unblock', {
        params: { path: { id: pathId(userId, 'A user id') } },
        ...this.core.init(options),
      }),
    );
  }
}
