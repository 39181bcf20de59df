import { afterEach, expect } from 'vitest';
import { addMember, createUser, createWorkspace, type TestUser, type TestWorkspace } from '../helpers/factories.js';
import type { TestApp } from '../helpers/harness.js';
import { waitFor, waitForValue } from '../helpers/wait.js';
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
  const res = await t.request('GET', `/api/v1/workspaces/${hooked.workspace.id}/events?type=${type}&limit=200`, {
    token: hooked.owner.token,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.items as { id: string }[]).map((e) => e.id).reverse();
}

/** Polls the API until the delivery list satisfies `predicate`. */
export async function waitForDeliveries(
  t: TestApp,
  user: TestUser,
  webhookId: string,
  predicate: (items: any[]) => boolean,
  timeoutMs = 10_000,
): Promise<any[]> {
  const list = async () => {
    const res = await t.request('GET', `/api/v1/webhooks/${webhookId}/deliveries`, { token: user.token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items as any[];
  };
  return waitForValue(`deliveries of ${webhookId} to match`, list, predicate, { timeoutMs, intervalMs: 30 });
}

/**
 * Waits until fan-out has read every event recorded so far and the endpoints `webhookIds` have no delivery
 * left pending: from then on, what their receivers heard is all they will hear of those events. A delivery
 * leaves `pending` only after its request reached the receiver, so a wrongly made delivery is heard first.
 * A disabled endpoint's pending deliveries are not waited for (nothing sends them).
 */
export async function waitForDispatchIdle(t: TestApp, webhookIds: string[], timeoutMs = 10_000): Promise<void> {
  const { db } = t.ctx;
  await waitFor(
    'fan-out to read every event and the deliveries to be sent',
    async () => {
      const newest = await db.selectFrom('events').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirst();
      const cursor = await db.selectFrom('webhook_cursor').select('last_seq').where('name', '=', 'events').executeTakeFirstOrThrow();
      if (newest && Number(cursor.last_seq) < Number(newest.seq)) return false;
      if (webhookIds.length === 0) return true;
      const pending = await db
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
        .select('d.id')
        .where('d.webhook_id', 'in', webhookIds)
        .where('d.status', '=', 'pending')
        .where('w.enabled', '=', 1)
        .execute();
      return pending.length === 0;
    },
    { timeoutMs },
  );
}

/**
 * Starts receivers (alone or behind a fresh hooked workspace) and closes them after each test: call it
 * once at the top of a test file.
 */
export function receiversClosedAfterEach() {
  const open: Receiver[] = [];
  afterEach(async () => {
    for (const receiver of open.splice(0)) await receiver.close();
  });
  return {
    async start(): Promise<Receiver> {
      const receiver = await Receiver.start();
      open.push(receiver);
      return receiver;
    },
    async hookedWorkspace(t: TestApp, webhook: Record<string, unknown> = {}): Promise<Hooked> {
      const hooked = await hookedWorkspace(t, webhook);
      open.push(hooked.receiver);
      return hooked;
    },
  };
}
