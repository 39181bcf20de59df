import { randomBytes } from 'node:crypto';
import type { ServerProcess } from '../helpers/server-process.js';

/** One API call to a server process; anything but 2xx throws. */
export async function call(server: ServerProcess, method: string, route: string, token?: string, body?: unknown) {
  const res = await fetch(server.url + route, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const parsed = text ? JSON.parse(text) : null;
  if (res.status >= 300) throw new Error(`${method} ${route} → ${res.status} ${text}`);
  return parsed;
}

export async function signUp(server: ServerProcess) {
  const email = `crash-${randomBytes(6).toString('hex')}@example.test`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const { user } = await call(server, 'POST', '/api/v1/auth/register', undefined, { email, password, name: 'Crash' });
  const { sessionToken } = await call(server, 'POST', '/api/v1/auth/login', undefined, { email, password });
  return { id: user.id as string, email, token: sessionToken as string };
}

export interface StoredEvent {
  id: string;
  type: string;
  resourceId: string;
}

/** Every event of the workspace as stored, through the events API. */
export async function storedEvents(server: ServerProcess, token: string, workspaceId: string): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: StoredEvent[]; nextCursor: string | null } = await call(
      server,
      'GET',
      `/api/v1/workspaces/${workspaceId}/events?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
      token,
    );
    events.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return events;
}
