import { pathId, type BodyOf, type CallOptions, type Core, type QueryOf } from '../core.js';

/** Registering, signing in and out (sessions are for people and the CLI; scripts use tokens). */
export class AuthResource {
  constructor(private readonly core: Core) {}

  register(body: BodyOf<'/api/v1/auth/register', 'post'>, options?: CallOptions) {
    return this.core.send(this.core.api.POST('/api/v1/auth/register', { body, ...this.core.init(options) }));
  }

  /** Signs in: in a browser this sets the session cookie; the answer's `sessionToken` serves a CLI. */
  login(body: BodyOf<'/api/v1/auth/login', 'post'>, options?: CallOptions) {
    return this.core.send(this.core.api.POST('/api/v1/auth/login', { body, ...this.core.init(options) }));
  }

  /** Who is signed in on this session (cookie or session token), or `{ user: null }`: never a 401. */
  session(options?: CallOptions) {
    return this.core.send(this.core.api.GET('/api/v1/auth/session', this.core.init(options)));
  }

  async logout(options?: CallOptions): Promise<void> {
    await this.core.send(this.core.api.POST('/api/v1/auth/logout', this.core.init(options)));
  }
}

/** The caller: who it is, and for a token, what it may do in each workspace. */
export class MeResource {
  constructor(private readonly core: Core) {}

  get(options?: CallOptions) {
    return this.core.send(this.core.api.GET('/api/v1/me', this.core.init(options)));
  }

  /** Why the caller may or may not do each thing in a workspace (and project): every permission and the layer that removes it. */
  permissions(query: QueryOf<'/api/v1/me/permissions', 'get'>, options?: CallOptions) {
    return this.core.send(this.core.api.GET('/api/v1/me/permissions', { params: { query }, ...this.core.init(options) }));
  }

  /**
   * Mints a delegated token (tgd_) for a sub-agent: a subset of the calling API token's permissions and projects,
   * optionally one task, expiring no later than it (default 1 hour). Its secret (`token`) is in this answer only.
   */
  delegate(body: BodyOf<'/api/v1/me/delegate', 'post'> = {}, options?: CallOptions) {
    return this.core.send(this.core.api.POST('/api/v1/me/delegate', { body, ...this.core.init(options) }));
  }

  /** Revokes a delegated token and every token delegated from it (as its root's owner, or an ancestor token). */
  async revokeDelegated(id: string, options?: CallOptions): Promise<void> {
    await this.core.send(
      this.core.api.DELETE('/api/v1/delegated-tokens/{id}', {
        params: { path: { id: pathId(id, 'A delegated token id') } },
        ...this.core.init(options),
      }),
    );
  }
}

/** Signed-in sessions and devices. */
export class SessionsResource {
  constructor(private readonly core: Core) {}

  /** Your sessions (one page holds them all). */
  list(options?: CallOptions) {
    return this.core.paginate(() => this.core.send(this.core.api.GET('/api/v1/sessions', this.core.init(options))));
  }

  async revoke(id: string, options?: CallOptions): Promise<void> {
    await this.core.send(
      this.core.api.DELETE('/api/v1/sessions/{id}', { params: { path: { id: pathId(id, 'A session id') } }, ...this.core.init(options) }),
    );
  }

  /** Ends every session but the current one. */
  revokeOthers(options?: CallOptions) {
    return this.core.send(this.core.api.POST('/api/v1/sessions/revoke-others', this.core.init(options)));
  }
}

/** Personal access tokens (tgp_): managed with a signed-in session only. */
export class TokensResource {
  constructor(private readonly core: Core) {}

  list(query: QueryOf<'/api/v1/tokens', 'get'> = {}, options?: CallOptions) {
    return this.core.paginate((cursor) =>
      this.core.send(this.core.api.GET('/api/v1/tokens', { params: { query: { ...query, cursor } }, ...this.core.init(options) })),
    );
  }

  get(id: string, options?: CallOptions) {
    return this.core.send(
      this.core.api.GET('/api/v1/tokens/{id}', { params: { path: { id: pathId(id, 'A token id') } }, ...this.core.init(options) }),
    );
  }

  /** Creates a token; its secret (`token`) is in this answer only. */
  create(body: BodyOf<'/api/v1/tokens', 'post'>, options?: CallOptions) {
    return this.core.send(this.core.api.POST('/api/v1/tokens', { body, ...this.core.init(options) }));
  }

  update(id: string, body: BodyOf<'/api/v1/tokens/{id}', 'patch'>, options?: CallOptions) {
    return this.core.send(
      this.core.api.PATCH('/api/v1/tokens/{id}', { params: { path: { id: pathId(id, 'A token id') } }, body, ...this.core.init(options) }),
    );
  }

  async revoke(id: string, options?: CallOptions): Promise<void> {
    await this.core.send(
      this.core.api.DELETE('/api/v1/tokens/{id}', { params: { path: { id: pathId(id, 'A token id') } }, ...this.core.init(options) }),
    );
  }

  /** Revokes every one of your personal tokens. */
  revokeAll(options?: CallOptions) {
    return this.core.send(this.core.api.POST('/api/v1/tokens/revoke-all', this.core.init(options)));
  }

  /** A new secret; the old one keeps working for `graceSeconds` (at most 24 h). */
  rotate(id: string, body: BodyOf<'/api/v1/tokens/{id}/rotate', 'post'> = {}, options?: CallOptions) {
    return this.core.send(
      this.core.api.POST('/api/v1/tokens/{id}/rotate', {
        params: { path: { id: pathId(id, 'A token id') } },
        body,
        ...this.core.init(options),
      }),
    );
  }

  /** The permissions a token can hold, by category. */
  permissions(options?: CallOptions) {
    return this.core.send(this.core.api.GET('/api/v1/tokens/permissions', this.core.init(options)));
  }

  /** Which of its permissions and projects the token used in the last 30 days, and which it never did. */
  usage(id: string, options?: CallOptions) {
    return this.core.send(
      this.core.api.GET('/api/v1/tokens/{id}/usage', { params: { path: { id: pathId(id, 'A token id') } }, ...this.core.init(options) }),
    );
  }

  /** Narrows the token to what it used (`{ dryRun: true }` only previews it). */
  narrow(id: string, body: BodyOf<'/api/v1/tokens/{id}/narrow', 'post'> = {}, options?: CallOptions) {
    return this.core.send(
      this.core.api.POST('/api/v1/tokens/{id}/narrow', {
        params: { path: { id: pathId(id, 'A token id') } },
        body,
        ...this.core.init(options),
      }),
    );
  }

  /** What the token may do in a workspace (and project), layer by layer: GET /me/permissions for that token. */
  explainPermissions(id: string, query: QueryOf<'/api/v1/tokens/{id}/permissions', 'get'>, options?: CallOptions) {
    return this.core.send(
      this.core.api.GET('/api/v1/tokens/{id}/permissions', {
        params: { path: { id: pathId(id, 'A token id') }, query },
        ...this.core.init(options),
      }),
    );
  }
}

/** What happened to your account's credentials. */
export class AuditLogResource {
  constructor(private readonly core: Core) {}

  list(query: QueryOf<'/api/v1/me/audit-log', 'get'> = {}, options?: CallOptions) {
    return this.core.paginate((cursor) =>
      this.core.send(this.core.api.GET('/api/v1/me/audit-log', { params: { query: { ...query, cursor } }, ...this.core.init(options) })),
    );
  }
}

/** Probes and the permission catalogue. */
export class SystemResource {
  constructor(private readonly core: Core) {}

  health(options?: CallOptions) {
    return this.core.send(this.core.api.GET('/healthz', this.core.init(options)));
  }

  ready(options?: CallOptions) {
    return this.core.send(this.core.api.GET('/readyz', this.core.init(options)));
  }

  permissions(options?: CallOptions) {
    return this.core.send(this.core.api.GET('/api/v1/permissions', this.core.init(options)));
  }
}
