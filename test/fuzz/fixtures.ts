import { expect } from 'vitest';
import { EVENT_TYPE_NAMES } from '../../src/events/event-types.js';
import { createAdmin, createUser, createWorkspace, login, type TestUser } from '../helpers/factories.js';
import type { TestApp } from '../helpers/harness.js';
import { freePort } from '../helpers/server-process.js';

/** What a pool of ids holds: the fixtures every operation may use, and what the fuzzer itself created. */
export type ResourceKind =
  | 'workspace'
  | 'space'
  | 'project'
  | 'task'
  | 'label'
  | 'agent'
  | 'webhook'
  | 'delivery'
  | 'token'
  | 'accessToken'
  | 'session'
  | 'user'
  | 'invitation';

interface Credentials {
  /** The personal token (tgp_) with every permission: most requests use it. */
  pat: string;
  /** The owner's session (tgs_): session-only routes (token management, sessions). */
  session: string;
  /** An instance admin's session: the admin routes. */
  admin: string;
  /** The member's session: the invitee's side of invitations. */
  member: string;
}

/** The tenant the fuzzer works in, made through the API before the run. */
export interface Fixtures {
  owner: TestUser;
  member: TestUser;
  patId: string;
  credentials: Credentials;
  /** Fixture ids: never deleted, revoked or archived by the fuzzer (see the guards in requests.ts). */
  core: Map<ResourceKind, string[]>;
  /** Ids of what the fuzzer created with a 2xx: these may be deleted and changed freely. */
  created: Map<ResourceKind, string[]>;
  /** The fixture users' addresses; `registeredEmails`: those the fuzzer signed up. */
  emails: string[];
  registeredEmails: string[];
  statusKeys: string[];
  permissions: string[];
  eventTypes: string[];
  cursors: string[];
  /**
   * Path parameters that name something that exists together (a task and its assignee, a workspace
   * and its member), learnt from successes, per operation that undoes or changes the link.
   */
  links: Map<string, Array<Record<string, string>>>;
  /** A local URL nothing listens on: deliveries fail at once, nothing leaves the machine. */
  webhookUrl: string;
}

async function ok(t: TestApp, method: string, path: string, token: string, body?: unknown, status = 201): Promise<any> {
  const res = await t.request(method, path, { token, ...(body === undefined ? {} : { body }) });
  expect(res.status, `${method} ${path}: ${res.text}`).toBe(status);
  return res.body;
}

export async function createFixtures(t: TestApp): Promise<Fixtures> {
  const owner = await createUser(t, { name: 'Fuzz owner' });
  const member = await createUser(t, { name: 'Fuzz member' });
  const admin = await createAdmin(t);
  const workspace = await createWorkspace(t, owner, { name: 'Fuzz workspace', plan: 'team' });
  const ws = `/api/v1/workspaces/${workspace.id}`;
  // The member makes members.* and assignees reach past their 404s; the run still works without it.
  // Adding one invites them: they join by accepting, with their own session.
  const invited = await t.request('POST', `${ws}/members`, { token: owner.token, body: { email: member.email, role: 'team_member' } });
  const accepted =
    invited.body?.status === 'pending'
      ? await t.request('POST', `/api/v1/invitations/${invited.body.id}/accept`, { token: member.token })
      : invited;
  if (accepted.status >= 300) console.warn(`fuzz fixtures: the member did not join (${accepted.status} ${accepted.text})`);
  const space = await ok(t, 'POST', `${ws}/spaces`, owner.token, { name: 'Fuzz space' });
  const project = await ok(t, 'POST', '/api/v1/projects', owner.token, { spaceId: space.id, name: 'Fuzz project' });
  const tasks = [];
  for (const title of ['First fuzz task', 'Second fuzz task'])
    tasks.push(await ok(t, 'POST', '/api/v1/tasks', owner.token, { projectId: project.id, title }));
  const labels = [];
  for (const name of ['bug', 'feature']) labels.push(await ok(t, 'POST', `${ws}/labels`, owner.token, { name }));
  const agent = await ok(t, 'POST', `${ws}/agents`, owner.token, { name: 'Fuzz agent' });
  const accessToken = await ok(t, 'POST', `${ws}/access-tokens`, owner.token, { label: 'Fuzz key', scope: 'team_member' });
  // A port just released by the OS: nothing listens there, so every delivery is refused at once.
  const webhookUrl = `http://127.0.0.1:${await freePort()}/hook`;
  const webhook = await ok(t, 'POST', `${ws}/webhooks`, owner.token, { url: webhookUrl, events: ['*'] });
  const pat = await ok(t, 'POST', '/api/v1/tokens', owner.token, { name: 'Fuzz token', permissions: null });
  // A second session of the owner, so sessions.revoke has a valid target that is not the one in use.
  await login(t, owner.email, owner.password);
  const sessions = await ok(t, 'GET', '/api/v1/sessions', owner.token, undefined, 200);
  const statuses = await ok(t, 'GET', `${ws}/task-statuses`, owner.token, undefined, 200);
  const catalogue = await ok(t, 'GET', '/api/v1/permissions', owner.token, undefined, 200);
  const currentSession = (sessions.items as Array<{ id: string; current: boolean }>).find((s) => s.current)?.id;

  const core = new Map<ResourceKind, string[]>([
    ['workspace', [workspace.id]],
    ['space', [space.id]],
    ['project', [project.id]],
    ['task', tasks.map((task) => task.id)],
    ['label', labels.map((label) => label.id)],
    ['agent', [agent.agent.id]],
    ['webhook', [webhook.id]],
    ['delivery', []],
    ['token', []],
    ['accessToken', [accessToken.id]],
    ['session', (sessions.items as Array<{ id: string }>).map((s) => s.id).filter((id) => id !== currentSession)],
    ['user', [member.id]],
  ]);
  return {
    owner,
    member,
    patId: pat.id,
    credentials: { pat: pat.token, session: owner.token, admin: admin.token, member: member.token },
    core,
    created: new Map(),
    emails: [owner.email, member.email, admin.email],
    registeredEmails: [],
    statusKeys: (statuses.items as Array<{ key: string }>).map((s) => s.key),
    permissions: (catalogue.categories as Array<{ permissions: Array<{ name: string }> }>).flatMap((c) => c.permissions.map((p) => p.name)),
    eventTypes: ['*', 'task.*', 'ping', ...EVENT_TYPE_NAMES],
    cursors: [],
    links: new Map(),
    webhookUrl,
  };
}

/** What a 2xx answer to a create operation made, so later requests may use (and delete) it. */
const CREATES: Record<string, [ResourceKind, (body: any) => string | undefined]> = {
  'workspaces.create': ['workspace', (b) => b.id],
  'spaces.create': ['space', (b) => b.id],
  'projects.create': ['project', (b) => b.id],
  'tasks.create': ['task', (b) => b.id],
  'labels.create': ['label', (b) => b.id],
  'agents.register': ['agent', (b) => b.agent?.id],
  'webhooks.create': ['webhook', (b) => b.id],
  'tokens.create': ['token', (b) => b.id],
  'accessTokens.create': ['accessToken', (b) => b.id],
  'auth.register': ['user', (b) => b.user?.id],
  'invitations.create': ['invitation', (b) => b.id],
  // Adding a member invites them: the answer is the invitation.
  'members.add': ['invitation', (b) => (b.status === 'pending' ? b.id : undefined)],
};

const POOL_LIMIT = 50;

function remember(pool: Map<ResourceKind, string[]>, kind: ResourceKind, id: string): void {
  const ids = pool.get(kind) ?? [];
  if (ids.includes(id)) return;
  ids.push(id);
  if (ids.length > POOL_LIMIT) ids.shift();
  pool.set(kind, ids);
}

/** Successes that link two things, and the path parameters of the operations that use the link. */
const LINKS: Record<string, (path: Record<string, string>, sent: any, answer: any) => [string[], Record<string, string>] | undefined> = {
  'tasks.assign': (path, sent) => [['tasks.unassign'], { id: path.id!, assigneeId: sent?.userId ?? sent?.agentId }],
  'tasks.addLabel': (path, sent) => [['tasks.removeLabel'], { id: path.id!, labelId: sent?.labelId }],
  'members.add': (path, _sent, answer) => [
    ['members.update', 'members.remove'],
    { id: path.id!, userId: answer?.userId ?? answer?.user?.id },
  ],
};

function link(fixtures: Fixtures, operationId: string, path: Record<string, string>, sent: unknown, answer: unknown): void {
  const found = LINKS[operationId]?.(path, sent, answer);
  if (!found || Object.values(found[1]).some((v) => typeof v !== 'string')) return;
  for (const user of found[0]) {
    const links = fixtures.links.get(user) ?? [];
    if (links.length < POOL_LIMIT) links.push(found[1]);
    fixtures.links.set(user, links);
  }
}

/** Learns ids, links and cursors from a successful answer to a request (its path parameters and body). */
export function learnFrom(
  fixtures: Fixtures,
  operationId: string,
  body: any,
  request: { path: Record<string, string>; body?: unknown },
): void {
  if (typeof body !== 'object' || body === null) return;
  link(fixtures, operationId, request.path, request.body, body);
  const create = CREATES[operationId];
  const id = create?.[1](body);
  if (create && typeof id === 'string') remember(fixtures.created, create[0], id);
  if (operationId === 'auth.register' && typeof body.user?.email === 'string' && fixtures.registeredEmails.length < POOL_LIMIT)
    fixtures.registeredEmails.push(body.user.email);
  if (typeof body.nextCursor === 'string' && fixtures.cursors.length < POOL_LIMIT) fixtures.cursors.push(body.nextCursor);
  if (operationId === 'deliveries.list' && Array.isArray(body.items))
    for (const d of body.items.slice(0, 3)) remember(fixtures.created, 'delivery', d.id);
}
