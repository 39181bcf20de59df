import createClient from 'openapi-fetch';
import { Core } from './core.js';
import type { paths } from './generated/openapi.js';
import { AuditLogResource, AuthResource, MeResource, SessionsResource, SystemResource, TokensResource } from './resources/account.js';
import { TokenLeaksResource } from './resources/token-leaks.js';
import { TokenInventoryResource } from './resources/token-inventory.js';
import { DeliveriesResource, WebhooksResource } from './resources/webhooks.js';
import { LabelsResource, ProjectsResource, SpacesResource, TaskStatusesResource, TasksResource } from './resources/work.js';
import {
  AccessTokensResource,
  AdminResource,
  AgentsResource,
  EventsResource,
  InvitationsResource,
  MembersResource,
  WorkspacesResource,
} from './resources/workspaces.js';
import { retryingFetch, type TransportOptions } from './transport.js';

export interface TaskgateOptions extends TransportOptions {
  /** Where the server is, e.g. `https://taskgate.example`; in a browser, the page's origin when omitted. */
  baseUrl?: string;
  /** An API token (`tgp_`, `tgw_`, `tga_`) or a session token (`tgs_`); without one, a browser sends its session cookie. */
  token?: string;
  /** Default time limit of each call in milliseconds, retries included (default 30 s; 0: none). */
  timeoutMs?: number;
  /** Headers sent with every call (e.g. a `user-agent` naming your script). */
  headers?: Record<string, string>;
}

function defaultBaseUrl(): string {
  const origin = (globalThis as { location?: { origin?: string } }).location?.origin;
  if (origin) return origin;
  throw new TypeError('Taskgate needs a baseUrl, e.g. new Taskgate({ baseUrl: "http://localhost:8080", token })');
}

/**
 * The Taskgate API. Every method returns the answer's typed body, or throws `TaskgateError`; every
 * list is a `Paginated` (iterate it with `for await`, or take one `page()`).
 *
 * ```ts
 * const tg = new Taskgate({ baseUrl: 'http://localhost:8080', token: process.env.TASKGATE_TOKEN });
 * for await (const task of tg.tasks.list({ projectId, status: 'todo' })) console.log(task.title);
 * ```
 */
export class Taskgate {
  /** The typed openapi-fetch client underneath, for calls this surface does not wrap. */
  readonly api: ReturnType<typeof createClient<paths>>;
  readonly auth: AuthResource;
  readonly me: MeResource;
  readonly sessions: SessionsResource;
  readonly tokens: TokensResource;
  readonly auditLog: AuditLogResource;
  readonly system: SystemResource;
  readonly admin: AdminResource;
  readonly workspaces: WorkspacesResource;
  readonly members: MembersResource;
  readonly invitations: InvitationsResource;
  readonly accessTokens: AccessTokensResource;
  readonly agents: AgentsResource;
  readonly events: EventsResource;
  readonly spaces: SpacesResource;
  readonly projects: ProjectsResource;
  readonly labels: LabelsResource;
  readonly taskStatuses: TaskStatusesResource;
  readonly tasks: TasksResource;
  readonly webhooks: WebhooksResource;
  readonly deliveries: DeliveriesResource;
  /** Leak reports (secret scanners): needs no credential. */
  readonly tokenLeaks: TokenLeaksResource;
  /** Every token that can reach a workspace, masked, for its owners and instance admins; and revoking any of them. */
  readonly tokenInventory: TokenInventoryResource;

  constructor(options: TaskgateOptions = {}) {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    this.api = createClient<paths>({
      baseUrl: (options.baseUrl ?? defaultBaseUrl()).replace(/\/+$/, ''),
      headers,
      fetch: retryingFetch(options),
    });
    const core = new Core(this.api, options.timeoutMs ?? 30_000);
    this.auth = new AuthResource(core);
    this.me = new MeResource(core);
    this.sessions = new SessionsResource(core);
    this.tokens = new TokensResource(core);
    this.auditLog = new AuditLogResource(core);
    this.system = new SystemResource(core);
    this.admin = new AdminResource(core);
    this.workspaces = new WorkspacesResource(core);
    this.members = new MembersResource(core);
    this.invitations = new InvitationsResource(core);
    this.accessTokens = new AccessTokensResource(core);
    this.agents = new AgentsResource(core);
    this.events = new EventsResource(core);
    this.spaces = new SpacesResource(core);
    this.projects = new ProjectsResource(core);
    this.labels = new LabelsResource(core);
    this.taskStatuses = new TaskStatusesResource(core);
    this.tasks = new TasksResource(core);
    this.webhooks = new WebhooksResource(core);
    this.deliveries = new DeliveriesResource(core);
    this.tokenLeaks = new TokenLeaksResource(core);
    this.tokenInventory = new TokenInventoryResource(core);
  }
}
