import { expect, it } from 'vitest';
import { createUser, createWorkspace } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';

describeEachDialect('Taskgate-Token-Expires on every answer to a credential', (app) => {
  it('names when the token, the session or an agent token in its grace stops working, and nothing without a credential', async () => {
    const owner = await createUser(app());
    const workspace = await createWorkspace(app(), owner);
    const expiresAt = new Date(Date.now() + 10 * 86_400_000).toISOString();
    const personal = await app().request('POST', '/api/v1/tokens', { token: owner.token, body: { name: 'ci', expiresAt } });
    const viaToken = await app().request('GET', '/api/v1/me', { token: personal.body.token });
    expect(viaToken.headers.get('taskgate-token-expires')).toBe(expiresAt);
    expect(viaToken.body.token.expiresAt).toBe(expiresAt);
    // Refusals and errors too: any answer after authentication.
    const missing = await app().request('GET', '/api/v1/tasks/tsk_missing', { token: personal.body.token });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('taskgate-token-expires')).toBe(expiresAt);

    const session = await app().request('GET', '/api/v1/me', { token: owner.token });
    expect(Date.parse(session.headers.get('taskgate-token-expires')!)).toBeGreaterThan(Date.now() + 86_400_000);

    const key = await app().request('POST', `/api/v1/workspaces/${workspace.id}/access-tokens`, {
      token: owner.token,
      body: { label: 'k', scope: 'viewer' },
    });
    const viaKey = await app().request('GET', '/api/v1/me', { token: key.body.token });
    expect(viaKey.headers.get('taskgate-token-expires')).toBe(key.body.expiresAt);

    const agent = await app().request('POST', `/api/v1/workspaces/${workspace.id}/agents`, { token: owner.token, body: { name: 'bot' } });
    const current = await app().request('GET', '/api/v1/me', { token: agent.body.token });
    expect(current.status).toBe(200);
    // Agent tokens expire too (TASKGATE_AGENT_TOKEN_MAX_LIFETIME): the header says when.
    expect(current.headers.get('taskgate-token-expires')).toBe(agent.body.agent.token.expiresAt);
    await app().request('POST', `/api/v1/agents/${agent.body.agent.id}/token`, { token: owner.token, body: { graceSeconds: 3600 } });
    const inGrace = await app().request('GET', '/api/v1/me', { token: agent.body.token });
    expect(Date.parse(inGrace.headers.get('taskgate-token-expires')!)).toBeGreaterThan(Date.now() + 3_500_000);

    expect((await app().request('GET', '/api/v1/permissions')).headers.get('taskgate-token-expires')).toBeNull();
  });
});
