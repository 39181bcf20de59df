import { expect } from 'vitest';
import type { Role } from '../../src/authz/roles.js';
import type { TestUser, TestWorkspace } from '../helpers/factories.js';
import type { TestApp } from '../helpers/harness.js';

export interface CreatedAccessToken {
  id: string;
  token: string;
  scope: Role;
  label: string;
  status: string;
  [field: string]: unknown;
}

export function accessTokensPath(workspace: TestWorkspace, tokenId?: string): string {
  return `/api/v1/workspaces/${workspace.id}/access-tokens${tokenId ? `/${tokenId}` : ''}`;
}

/** Creates a workspace access token through the API, as `by` (a session), and returns the 201 body. */
export async function createAccessToken(
  t: TestApp,
  by: TestUser,
  workspace: TestWorkspace,
  body: { scope: Role; label?: string; expiresAt?: string; rateLimitPerMinute?: number },
): Promise<CreatedAccessToken> {
  const res = await t.request('POST', accessTokensPath(workspace), { token: by.token, body: { label: `${body.scope} key`, ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as CreatedAccessToken;
}

/** The stored row of a workspace access token, for checking what was (not) changed. */
export function accessTokenRow(t: TestApp, id: string) {
  return t.ctx.db.selectFrom('workspace_access_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}
