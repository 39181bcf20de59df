import { expect } from 'vitest';
import { addMember, createUser, createWorkspace, type TestUser, type TestWorkspace } from '../helpers/factories.js';
import type { TestApp } from '../helpers/harness.js';
import { createAgent, createProject, createSpace, ok } from '../tasks/fixtures.js';

export interface InventoryItem {
  kind: 'personal' | 'workspace' | 'agent' | 'delegated';
  id: string;
  name: string;
  maskedToken: string;
  owner: { id: string; name: string; email: string } | null;
  createdBy: { id: string; name: string; email: string } | null;
  status: 'active' | 'revoked' | 'expired' | 'disabled';
  expiresAt: string | null;
  expiresInDays: number | null;
  stale: boolean;
  lastUsedAt: string | null;
  projectIds: string[] | null;
  revokedAt: string | null;
}

export const inventoryPath = (workspace: TestWorkspace, query = '') =>
  `/api/v1/workspaces/${workspace.id}/token-inventory${query ? `?${query}` : ''}`;

export const revokePath = (workspace: TestWorkspace, kind: string, id: string) =>
  `/api/v1/workspaces/${workspace.id}/token-inventory/${kind}/${id}/revoke`;

interface Issued {
  id: string;
  token: string;
}

async function personalToken(t: TestApp, by: TestUser, name: string, projectIds?: string[]): Promise<Issued> {
  const body = ok(
    await t.request('POST', '/api/v1/tokens', { token: by.token, body: { name, ...(projectIds ? { projectIds } : {}) } }),
    201,
  );
  return { id: body.id, token: body.token };
}

/**
 * A workspace holding one token of every kind, and personal tokens of members that do (unrestricted; limited to a
 * project here) and do not (limited to another workspace's project; an outsider's) reach it.
 */
export async function inventoryFixture(t: TestApp) {
  const owner = await createUser(t, { name: 'Olive Owner' });
  const workspace = await createWorkspace(t, owner, { name: 'Inventoried' });
  const administrator = await createUser(t, { name: 'Ada Admin' });
  const member = await createUser(t, { name: 'Max Member' });
  const outsider = await createUser(t, { name: 'Otto Outsider' });
  await addMember(t, owner, workspace, administrator, 'administrator');
  await addMember(t, owner, workspace, member, 'team_member');
  const here = await createProject(t, owner, (await createSpace(t, owner, workspace.id)).id, 'Here');
  const elsewhereWorkspace = await createWorkspace(t, member, { name: 'Elsewhere' });
  const elsewhere = await createProject(t, member, (await createSpace(t, member, elsewhereWorkspace.id)).id, 'Elsewhere');
  await createWorkspace(t, outsider, { name: 'Outside' });

  const adminToken = await personalToken(t, administrator, 'admin laptop');
  const memberHere = await personalToken(t, member, 'member here', [here.id]);
  const memberElsewhere = await personalToken(t, member, 'member elsewhere', [elsewhere.id]);
  const outsiderToken = await personalToken(t, outsider, 'outsider');
  const workspaceKey = ok(
    await t.request('POST', `/api/v1/workspaces/${workspace.id}/access-tokens`, {
      token: owner.token,
      body: { label: 'CI key', scope: 'team_member' },
    }),
    201,
  );
  const agent = await createAgent(t, owner, workspace.id, 'Deploy bot');
  const agentTokenId = (
    await t.ctx.db
      .selectFrom('agent_tokens')
      .select('id')
      .where('agent_id', '=', agent.id)
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow()
  ).id;
  return {
    owner,
    workspace,
    administrator,
    member,
    outsider,
    elsewhereWorkspace,
    project: here,
    adminToken,
    memberHere,
    memberElsewhere,
    outsiderToken,
    workspaceKey: { id: workspaceKey.id as string, token: workspaceKey.token as string },
    agent: { id: agent.id, tokenId: agentTokenId, token: agent.token },
  };
}

export async function listInventory(t: TestApp, by: TestUser, workspace: TestWorkspace, query = ''): Promise<InventoryItem[]> {
  const res = await t.request('GET', inventoryPath(workspace, query), { token: by.token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items as InventoryItem[];
}

export const idsOf = (items: readonly InventoryItem[]) => items.map((item) => item.id).sort();
