import { expect } from 'vitest';
import type { TestWorkspace } from '../helpers/factories.js';
import type { TestApp } from '../helpers/harness.js';

export interface RegisteredAgent {
  id: string;
  name: string;
  /** The agent's token (tga_…). */
  token: string;
}

/** Registers an agent with the given credential (a session or the team API key) and returns its token. */
export async function registerAgent(
  t: TestApp,
  credential: string,
  workspace: TestWorkspace,
  name = 'Build bot',
): Promise<RegisteredAgent> {
  const res = await t.request('POST', `/api/v1/workspaces/${workspace.id}/agents`, { token: credential, body: { name } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.agent.id, name: res.body.agent.name, token: res.body.token };
}
