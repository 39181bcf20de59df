import { expect } from 'vitest';
import { createUser, createWorkspace, type TestUser, type TestWorkspace } from '../helpers/factories.js';
import type { TestApp } from '../helpers/harness.js';

export interface IssuedTestToken {
  id: string;
  /** The plaintext secret (tgp_…), as the create or rotate response gave it. */
  token: string;
  body: Record<string, any>;
}

/** Creates a personal access token over HTTP with the owner's session. */
export async function createToken(
  t: Pick<TestApp, 'request'>,
  owner: Pick<TestUser, 'token'>,
  body: Record<string, unknown> = {},
): Promise<IssuedTestToken> {
  const res = await t.request('POST', '/api/v1/tokens', { token: owner.token, body: { name: 'test token', ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.id, token: res.body.token, body: res.body };
}

/** A user who owns a pro workspace (tokens need one), ready to create tokens. */
export async function tokenOwner(t: TestApp): Promise<{ owner: TestUser; workspace: TestWorkspace }> {
  const owner = await createUser(t);
  return { owner, workspace: await createWorkspace(t, owner) };
}

export async function tokenRow(t: TestApp, id: string) {
  return t.ctx.db.selectFrom('personal_access_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export async function auditActions(t: TestApp, userId: string): Promise<string[]> {
  const rows = await t.ctx.db.selectFrom('audit_log').select('action').where('user_id', '=', userId).orderBy('id').execute();
  return rows.map((row) => row.action);
}

/** Moves a token's expiry into the past, as the passing of time would. */
export async function expireToken(t: TestApp, id: string): Promise<void> {
  await t.ctx.db
    .updateTable('personal_access_tokens')
    .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
    .where('id', '=', id)
    .execute();
}
