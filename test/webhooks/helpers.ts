import { expect } from 'vitest';
import { addMember, createUser, createWorkspace, type TestUser, type TestWorkspace } from '../helpers/factories.js';
import type { TestApp } from '../helpers/harness.js';
import { Receiver } from './receiver.js';

/** Fast dispatch for tests: poll every 50 ms, retry after 50 ms then 100 ms, give up an attempt after 1 s. */
export const FAST_WEBHOOKS: Record<string, string> = {
  TASKGATE_WEBHOOK_POLL: '50ms',
  TASKGATE_WEBHOOK_RETRY_SCHEDULE: '50ms,100ms',
  TASKGATE_WEBHOOK_TIMEOUT: '1s',
};

export interface Hooked {
  owner: TestUser;
  workspace: TestWorkspace;
  receiver: Receiver;
  webhookId: string;
  secret: string;
}

export async function createWebhook(t: TestApp, user: TestUser, workspaceId: string, body: Record<string, unknown>) {
  const res = await t.request('POST', `/api/v1/workspaces/${workspaceId}/webhooks`, { token: user.token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { webhookId: res.body.id as string, secret: res.body.secret as string, body: res.body };
}

/**
 * A fresh owner and workspace, a receiver, and a webhook pointing at it (close the receiver after). By
 * default it hears `member.added` only, so that `addSomeone` makes exactly one delivery (inviting
 * records `member.invited` first).
 */
export async function hookedWorkspace(t: TestApp, webhook: Record<string, unknown> = {}): Promise<Hooked> {
  const owner = await createUser(t, { name: 'Owner' });
  const workspace = await createWorkspace(t, owner);
  const receiver = await Receiver.start();
  const { webhookId, secret } = await createWebhook(t, owner, workspace.id, { url: receiver.url, events: ['member.added'], ...webhook });
  return { owner, workspace, receiver, webhookId, secret };
}

/** Records one `member.added` event by adding a new user to the workspace. */
export async function addSomeone(t: TestApp, hooked: Pick<Hooked, 'owner' | 'workspace'>): Promise<TestUser> {
  const user = await createUser(t);
  await addMember(t, hooked.owner, hooked.workspace, user, 'viewer');
  return user;
}

/** The workspace's events of one type, oldest first, from the events API. */
export async function eventIds(t: TestApp, hooked: Pick<Hooked, 'owner' | 'workspace'>, type: string): Promise<string[]> {
  const res = await t.request('GET', `/api/v1/workspaces/${hooked.workspace.id}/events?type=${type}&limit=200`, { token: hooked.owner.token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.items as { id: string }[]).map((e) => e.id).reverse();
}

/** Polls the API until the delivery list satisfies `predicate`. */
export async function waitForDeliveries(t: TestApp, user: TestUser, webhookId: string, predicate: (items: any[]) => boolean, timeoutMs = 10_000): Promise<any[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.request('GET', `/api/v1/webhooks/${webhookId}/deliveries`, { token: user.token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    if (predicate(res.body.items)) return res.body.items;
    if (Date.now() > deadline) throw new Error(`deliveries never matched: ${JSON.stringify(res.body.items)}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}
