import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { uniqueEmail } from '../helpers/factories.js';
import { remote, type Requester } from '../tokens/remote.js';
import type { Receiver } from '../webhooks/receiver.js';

/** A secret the server issued or was given, named by where it came from (never printed whole). */
export interface KnownSecret {
  source: string;
  value: string;
}

export interface Admin {
  email: string;
  password: string;
}

/** Collects each secret as it is seen, and fails at once when a step does not answer as expected. */
class SecretLedger {
  readonly secrets: KnownSecret[] = [];

  constructor(readonly api: Requester) {}

  keep(source: string, value: unknown): string {
    expect(typeof value, `${source}: no secret in the answer`).toBe('string');
    this.secrets.push({ source, value: value as string });
    return value as string;
  }

  async call(method: string, path: string, token: string | undefined, body: unknown, status: number): Promise<any> {
    const res = await this.api.request(method, path, { ...(token ? { token } : {}), ...(body === undefined ? {} : { body }) });
    expect(res.status, `${method} ${path}: ${res.text.slice(0, 300)}`).toBe(status);
    return res.body;
  }
}

async function signUp(ledger: SecretLedger, name: string): Promise<{ id: string; email: string; session: string }> {
  const email = uniqueEmail(name);
  const password = ledger.keep(`${name} password`, `pw-${randomBytes(12).toString('hex')}`);
  const { user } = await ledger.call('POST', '/api/v1/auth/register', undefined, { email, password, name }, 201);
  // A failed sign-in with a near miss of the password: the attempt itself must not be logged with it.
  await ledger.call('POST', '/api/v1/auth/login', undefined, { email, password: `${password}x` }, 401);
  const { sessionToken } = await ledger.call(
    'POST',
    '/api/v1/auth/login',
    undefined,
    { email, password, deviceName: 'taskgate CLI on scan-01' },
    200,
  );
  return { id: user.id, email, session: ledger.keep(`${name} session`, sessionToken) };
}

/**
 * Goes through every path of the API that makes or takes a secret, against a running server, and
 * returns every secret seen: passwords (registration, the bootstrap admin's, a failed sign-in),
 * sessions, personal tokens (created, rotated with grace), workspace access tokens, agent tokens
 * (registered, reissued), webhook signing secrets (created, rotated) and a delivery signed with
 * them. Each secret is also used, and a revoked one refused, so the request logs see them all. The
 * secrets are made here, so the scan does not depend on which other tests ran before.
 */
export async function exerciseSecretPaths(url: string, admin: Admin, receiver: Receiver): Promise<KnownSecret[]> {
  const ledger = new SecretLedger(remote(url));
  ledger.keep('bootstrap admin password', admin.password);
  const adminSession = ledger.keep('admin session', (await ledger.call('POST', '/api/v1/auth/login', undefined, admin, 200)).sessionToken);

  const owner = await signUp(ledger, 'owner');
  const workspace = await ledger.call('POST', '/api/v1/workspaces', owner.session, { name: 'Secrets' }, 201);
  await ledger.call('PATCH', `/api/v1/workspaces/${workspace.id}`, adminSession, { plan: 'team' }, 200);
  const ws = `/api/v1/workspaces/${workspace.id}`;

  const personal = await ledger.call('POST', '/api/v1/tokens', owner.session, { name: 'scan' }, 201);
  const personalToken = ledger.keep('personal token', personal.token);
  const rotated = await ledger.call('POST', `/api/v1/tokens/${personal.id}/rotate`, owner.session, { graceSeconds: 600 }, 200);
  const rotatedToken = ledger.keep('rotated personal token', rotated.token);
  const doomed = await ledger.call('POST', '/api/v1/tokens', owner.session, { name: 'revoked' }, 201);
  const doomedToken = ledger.keep('revoked personal token', doomed.token);
  await ledger.call('DELETE', `/api/v1/tokens/${doomed.id}`, owner.session, undefined, 204);

  const access = await ledger.call('POST', `${ws}/access-tokens`, owner.session, { label: 'scan key', scope: 'workspace_manager' }, 201);
  const accessToken = ledger.keep('workspace access token', access.token);

  const agent = await ledger.call('POST', `${ws}/agents`, owner.session, { name: 'scan agent' }, 201);
  const firstAgentToken = ledger.keep('agent token', agent.token);
  const reissued = await ledger.call('POST', `/api/v1/agents/${agent.agent.id}/token`, owner.session, { graceSeconds: 60 }, 201);
  const agentToken = ledger.keep('reissued agent token', reissued.token);

  const webhook = await ledger.call('POST', `${ws}/webhooks`, owner.session, { url: receiver.url, events: ['*'] }, 201);
  ledger.keep('webhook secret', webhook.secret);
  const rotation = await ledger.call('POST', `/api/v1/webhooks/${webhook.id}/rotate-secret`, owner.session, { graceSeconds: 60 }, 200);
  ledger.keep('rotated webhook secret', rotation.secret);

  // Use every credential: request logs, last-used flushes and refusal audits all see them.
  for (const token of [personalToken, rotatedToken, accessToken, firstAgentToken, agentToken, owner.session]) {
    await ledger.call(
      'GET',
      token === accessToken || token === agentToken || token === firstAgentToken ? `${ws}/task-statuses` : '/api/v1/me',
      token,
      undefined,
      200,
    );
  }
  await ledger.call('GET', '/api/v1/me', doomedToken, undefined, 401);
  await ledger.call('GET', '/api/v1/me', `${personalToken.slice(0, -2)}zz`, undefined, 401);
  const space = await ledger.call('POST', `${ws}/spaces`, accessToken, { name: 'Scan space' }, 201);
  const project = await ledger.call('POST', '/api/v1/projects', owner.session, { spaceId: space.id, name: 'Scan project' }, 201);
  await ledger.call('POST', '/api/v1/tasks', personalToken, { projectId: project.id, title: 'Signed delivery' }, 201);
  await ledger.call('POST', `/api/v1/webhooks/${webhook.id}/test`, owner.session, undefined, 202);
  // Deliveries signed with both secrets (the rotated one in its grace period) reach the receiver.
  await receiver.waitFor((requests) => requests.some((r) => r.body.includes('task.created')));

  await ledger.call('POST', '/api/v1/sessions/revoke-others', owner.session, undefined, 200);
  await ledger.call('POST', '/api/v1/auth/logout', owner.session, undefined, 204);
  return ledger.secrets;
}
