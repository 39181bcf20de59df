import { expect, it } from 'vitest';
import { generateToken } from '../../src/tokens/token-format.js';
import { createUser, expectError } from './factories.js';
import type { TestApp } from './harness.js';

export interface ProtectedRoute {
  method: string;
  /** Builds a fresh target for each test (a tenant of its own); returns the path and a valid body. */
  setup: (t: TestApp) => Promise<{ path: string; body?: unknown }>;
  /** What a signed-in user with no standing in the workspace gets (404 hides existence). Skip with null. */
  outsiderStatus?: number | null;
}

function forge(token: string): string {
  // Same shape, wrong checksum: must be refused before any storage is touched.
  const last = token.at(-1) === 'A' ? 'B' : 'A';
  return token.slice(0, -1) + last;
}

/** The checks every protected route must pass: call it inside a describeEachDialect suite. */
export function runCommonRouteTests(getApp: () => TestApp, route: ProtectedRoute): void {
  const name = `${route.method}`;

  it(`${name}: no credentials → 401 UNAUTHENTICATED with WWW-Authenticate`, async () => {
    const { path, body } = await route.setup(getApp());
    const res = await getApp().request(route.method, path, { body });
    expectError(res, 401, 'UNAUTHENTICATED');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it(`${name}: malformed, forged-checksum and unknown tokens → 401 INVALID_TOKEN`, async () => {
    const { path, body } = await route.setup(getApp());
    for (const token of ['nonsense', forge(generateToken('personal')), generateToken('personal'), generateToken('session')]) {
      const res = await getApp().request(route.method, path, { body, token });
      expectError(res, 401, 'INVALID_TOKEN');
      expect(res.headers.get('www-authenticate')).toContain('invalid_token');
    }
  });

  it(`${name}: a non-Bearer Authorization header → 401`, async () => {
    const { path, body } = await route.setup(getApp());
    const res = await getApp().request(route.method, path, { body, headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expectError(res, 401, 'INVALID_TOKEN');
  });

  it(`${name}: an ended session → 401`, async () => {
    const { path, body } = await route.setup(getApp());
    const user = await createUser(getApp());
    await getApp().request('POST', '/api/v1/auth/logout', { token: user.token });
    const res = await getApp().request(route.method, path, { body, token: user.token });
    expectError(res, 401, 'INVALID_TOKEN');
  });

  if (route.outsiderStatus !== null) {
    it(`${name}: a user outside the workspace → ${route.outsiderStatus ?? 404}`, async () => {
      const { path, body } = await route.setup(getApp());
      const outsider = await createUser(getApp());
      const res = await getApp().request(route.method, path, { body, token: outsider.token });
      expect(res.status, JSON.stringify(res.body)).toBe(route.outsiderStatus ?? 404);
    });
  }
}
