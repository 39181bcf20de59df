import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { uniqueEmail } from '../helpers/factories.js';
import type { TestApp } from '../helpers/harness.js';

/** What the token helpers need of a server: a way to send it requests. */
export type Requester = Pick<TestApp, 'request'>;

/** The harness's request shape against a server running in another process. */
export function remote(baseUrl: string): Requester {
  return {
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(baseUrl + path, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : null };
    },
  };
}

/** A fresh user with a pro workspace on a remote server; returns their session token. */
export async function remoteOwner(t: Requester): Promise<{ userId: string; session: string }> {
  const email = uniqueEmail();
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const registered = await t.request('POST', '/api/v1/auth/register', { body: { email, password, name: 'Remote' } });
  expect(registered.status, registered.text).toBe(201);
  const login = await t.request('POST', '/api/v1/auth/login', { body: { email, password } });
  const session: string = login.body.sessionToken;
  expect((await t.request('POST', '/api/v1/workspaces', { token: session, body: { name: 'Remote workspace' } })).status).toBe(201);
  return { userId: registered.body.user.id, session };
}
