import os from 'node:os';
import { Taskgate } from '@taskgate/client';
import { CredentialStore } from './credentials.js';
import { warnIfExpiringSoon } from './expiry.js';
import { nodeFetch } from './http-transport.js';
import { CliError, EXIT } from './exit-codes.js';

export const CLI_VERSION = '0.1.0';
export const USER_AGENT = `taskgate-cli/${CLI_VERSION} (${os.hostname()})`;

/** Where the CLI talks to, and with what: TASKGATE_URL and TASKGATE_TOKEN win over stored credentials (CI). */
export interface Target {
  url: string;
  token: string | null;
  source: 'environment' | 'stored' | 'none';
}

export function normaliseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`Not a URL: ${url}`, EXIT.usage);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new CliError(`Use an http(s) URL, not ${url}`, EXIT.usage);
  return parsed.origin;
}

export function resolveTarget(store = new CredentialStore(), env: NodeJS.ProcessEnv = process.env): Target {
  const stored = store.current();
  const url = env.TASKGATE_URL ? normaliseUrl(env.TASKGATE_URL) : (stored?.url ?? 'http://localhost:8080');
  if (env.TASKGATE_TOKEN) return { url, token: env.TASKGATE_TOKEN, source: 'environment' };
  if (stored && stored.url === url) return { url, token: stored.credential.token, source: 'stored' };
  return { url, token: null, source: 'none' };
}

/** The API client for a command that needs a credential; exit 4 without one. */
export function authenticatedClient(target = resolveTarget()): Taskgate {
  if (!target.token) throw new CliError('Not signed in: run `taskgate auth login` (or set TASKGATE_TOKEN)', EXIT.notAuthenticated);
  return clientFor(target.url, target.token);
}

/**
 * The one way the CLI builds a client. A 429 is reported at once with when to retry (lib/errors.ts)
 * rather than waited out: the server may ask for up to a minute, and a person at a terminal (or a
 * CI job) should decide whether to wait, not watch a silent command. Requests go over node:http
 * (http-transport.ts: it starts faster than fetch).
 */
export function clientFor(url: string, token?: string | null): Taskgate {
  return new Taskgate({
    baseUrl: url,
    ...(token ? { token } : {}),
    headers: { 'user-agent': USER_AGENT },
    retry: { onRateLimit: false },
    fetch: async (request) => {
      const response = await nodeFetch(request);
      warnIfExpiringSoon(response.headers);
      return response;
    },
  });
}
