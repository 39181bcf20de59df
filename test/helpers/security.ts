import { expect } from 'vitest';
import type { AuthRequirement } from '../../src/auth/auth-requirement.js';
import type { PrincipalKind } from '../../src/authz/principal.js';
import { generateToken } from '../../src/credentials/token-format.js';
import { createAgent, createPersonalToken, createWorkspaceToken } from '../tasks/fixtures.js';
import { createUser, createWorkspace, expectError } from './factories.js';
import type { HttpResult, TestApp } from './harness.js';

export interface RouteRequest {
  method: string;
  path: string;
  body?: unknown;
}

/** Callers with no standing in anyone else's workspace: one credential of every kind, and a session that ended. */
export interface Strangers {
  credentials: Record<PrincipalKind, string>;
  endedSession: string;
}

/** The kinds of credential a route's `config.auth` lets through (src/auth/authenticate.ts). */
export const ACCEPTED_KINDS: Record<Exclude<AuthRequirement, 'public'>, readonly PrincipalKind[]> = {
  session: ['session'],
  user: ['session', 'personal_token'],
  any: ['session', 'personal_token', 'workspace_token', 'agent'],
  token: ['personal_token', 'workspace_token', 'agent'],
};

/** A user with a workspace of their own (so every token kind can be made) and nothing else. */
export async function createStrangers(t: TestApp): Promise<Strangers> {
  const outsider = await createUser(t, { name: 'Outsider' });
  const workspace = await createWorkspace(t, outsider);
  const ended = await createUser(t, { name: 'Signed out' });
  const logout = await t.request('POST', '/api/v1/auth/logout', { token: ended.token });
  expect(logout.status, JSON.stringify(logout.body)).toBe(204);
  return {
    credentials: {
      session: outsider.token,
      personal_token: await createPersonalToken(t, outsider),
      workspace_token: await createWorkspaceToken(t, outsider, workspace.id, 'owner'),
      agent: (await createAgent(t, outsider, workspace.id)).token,
    },
    endedSession: ended.token,
  };
}

function forge(token: string): string {
  // Same shape, wrong checksum: must be refused before any storage is touched.
  const last = token.at(-1) === 'A' ? 'B' : 'A';
  return token.slice(0, -1) + last;
}

/**
 * What every protected route answers before it looks at anything: 401 without credentials, with a
 * malformed, forged or unknown token, with a header that is not `Bearer`, and with a session that ended.
 */
export async function expectAuthenticationRefusals(t: TestApp, route: RouteRequest, endedSession: string): Promise<void> {
  const { method, path, body } = route;
  const bare = await t.request(method, path, { body });
  expectError(bare, 401, 'UNAUTHENTICATED');
  expect(bare.headers.get('www-authenticate')).toMatch(/^Bearer/);

  for (const token of ['nonsense', forge(generateToken('personal')), generateToken('personal'), generateToken('session'), endedSession]) {
    const res = await t.request(method, path, { body, token });
    expectError(res, 401, 'INVALID_TOKEN');
    expect(res.headers.get('www-authenticate')).toContain('invalid_token');
  }

  const basic = await t.request(method, path, { body, headers: { authorization: 'Basic dXNlcjpwYXNz' } });
  expectError(basic, 401, 'INVALID_TOKEN');
}

/** An answer without what differs per request (its id), for comparing two answers word for word. */
export function answerOf(res: HttpResult): { status: number; body: unknown } {
  if (res.body === null || typeof res.body !== 'object') return { status: res.status, body: res.body };
  const { requestId: _requestId, ...body } = res.body as Record<string, unknown>;
  return { status: res.status, body };
}
