import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { Role } from '../../src/authz/roles.js';
import { createUser as createUserRow } from '../../src/users/users.service.js';
import type { TestApp } from './harness.js';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  name: string;
  /** A session token (tgs_…), used as a Bearer token. */
  token: string;
}

export interface TestWorkspace {
  id: string;
  name: string;
  plan: string;
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}@example.test`;
}

export async function login(t: TestApp, email: string, password: string): Promise<string> {
  const res = await t.request('POST', '/api/v1/auth/login', { body: { email, password } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.sessionToken as string;
}

/** Registers a user over HTTP and signs them in. */
export async function createUser(t: TestApp, overrides: { name?: string; email?: string } = {}): Promise<TestUser> {
  const email = overrides.email ?? uniqueEmail();
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const name = overrides.name ?? 'Test User';
  const res = await t.request('POST', '/api/v1/auth/register', { body: { email, password, name } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.user.id, email, password, name, token: await login(t, email, password) };
}

/** An instance admin (created directly: there is no HTTP route that makes one). */
export async function createAdmin(t: TestApp): Promise<TestUser> {
  const email = uniqueEmail('admin');
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const row = await createUserRow(t.ctx.db, { email, password, name: 'Admin', isAdmin: true }, t.ctx.config.passwordHashCost);
  return { id: row.id, email, password, name: 'Admin', token: await login(t, email, password) };
}

export async function createWorkspace(
  t: TestApp,
  owner: TestUser,
  options: { name?: string; plan?: 'free' | 'pro' | 'team' } = {},
): Promise<TestWorkspace> {
  const res = await t.request('POST', '/api/v1/workspaces', { token: owner.token, body: { name: options.name ?? 'Test workspace' } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  if (options.plan && options.plan !== res.body.plan) {
    const admin = await createAdmin(t);
    const patched = await t.request('PATCH', `/api/v1/workspaces/${res.body.id}`, { token: admin.token, body: { plan: options.plan } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    return { id: res.body.id, name: res.body.name, plan: options.plan };
  }
  return { id: res.body.id, name: res.body.name, plan: res.body.plan };
}

/** Invites the user and accepts as them: membership needs the invitee's consent. */
export async function addMember(t: TestApp, by: TestUser, workspace: TestWorkspace, user: TestUser, role: Role): Promise<void> {
  const invited = await t.request('POST', `/api/v1/workspaces/${workspace.id}/invitations`, {
    token: by.token,
    body: { email: user.email, role },
  });
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  const accepted = await t.request('POST', `/api/v1/invitations/${invited.body.id}/accept`, { token: user.token });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
}

/** A workspace with one member of every role, for role-boundary tables. */
export async function createTeam(t: TestApp, options: { plan?: 'free' | 'pro' | 'team' } = {}) {
  const owner = await createUser(t, { name: 'Owner' });
  const workspace = await createWorkspace(t, owner, options);
  const members = { owner } as Record<Role, TestUser>;
  for (const role of ['administrator', 'workspace_manager', 'team_member', 'viewer'] as const) {
    members[role] = await createUser(t, { name: role });
    await addMember(t, owner, workspace, members[role], role);
  }
  const outsider = await createUser(t, { name: 'Outsider' });
  return { workspace, members, outsider };
}

/** Asserts the JSON error envelope and its stable code. */
export function expectError(res: { status: number; body: any }, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toMatchObject({ code, statusCode: status });
  expect(typeof res.body.error).toBe('string');
  expect(typeof res.body.requestId).toBe('string');
}
