import { expect, it } from 'vitest';
import { describeEachDialect } from '../helpers/harness.js';
import { waitFor, waitForValue } from '../helpers/wait.js';
import {
  addSomeone,
  createWebhook,
  FAST_WEBHOOKS,
  type Hooked,
  receiversClosedAfterEach,
  waitForDeliveries,
  waitForDispatchIdle,
} from './helpers.js';

const receivers = receiversClosedAfterEach();

describeEachDialect(
  'webhook endpoints disabled by their failures',
  (app) => {
    async function webhookOf(token: string, id: string) {
      const res = await app().request('GET', `/api/v1/webhooks/${id}`, { token });
      expect(res.status).toBe(200);
      return res.body;
    }

    /** The workspace's `webhook.disabled` events, oldest first. */
    async function disabledEvents(hooked: Hooked) {
      const res = await app().request('GET', `/api/v1/workspaces/${hooked.workspace.id}/events?type=webhook.disabled`, {
        token: hooked.owner.token,
      });
      expect(res.status).toBe(200);
      return [...res.body.items].reverse();
    }

    it('disables the endpoint at once on 410 Gone, says why, and records it for others to hear', async () => {
      const hooked = await receivers.hookedWorkspace(app());
      const watcher = await receivers.start();
      const watching = await createWebhook(app(), hooked.owner, hooked.workspace.id, { url: watcher.url, events: ['webhook.disabled'] });
      hooked.receiver.respond(() => ({ status: 410 }));
      await addSomeone(app(), hooked);
      const [delivery] = await waitForDeliveries(app(), hooked.owner, hooked.webhookId, (items) => items[0]?.status === 'failed');
      expect(delivery.attempts).toBe(1);
      const webhook = await webhookOf(hooked.owner.token, hooked.webhookId);
      expect(webhook).toMatchObject({ enabled: false, disabledReason: expect.stringMatching(/410 Gone/) });
      expect(webhook.disabledAt).not.toBeNull();

      const [event] = await disabledEvents(hooked);
      expect(event).toMatchObject({ resourceType: 'webhook', resourceId: hooked.webhookId, actor: { type: 'user', id: hooked.owner.id } });
      expect(event.data).toMatchObject({ id: hooked.webhookId, enabled: false, disabledReason: webhook.disabledReason });
      expect(JSON.stringify(event.data)).not.toMatch(/whsec_|secret_encrypted/);
      const heard = JSON.parse((await watcher.nth(0)).body);
      expect(heard).toMatchObject({
        type: 'webhook.disabled',
        data: { eventId: event.id, object: { id: hooked.webhookId, disabledReason: expect.stringMatching(/410 Gone/) } },
      });

      await addSomeone(app(), hooked);
      await waitForDispatchIdle(app(), [hooked.webhookId, watching.webhookId]);
      expect(hooked.receiver.requests).toHaveLength(1);
      expect(await waitForDeliveries(app(), hooked.owner, hooked.webhookId, () => true)).toHaveLength(1);
      expect(await disabledEvents(hooked)).toHaveLength(1);
    });

    it('disables an endpoint failing for longer than the limit; enabling it again resumes its deliveries', async () => {
      const hooked = await receivers.hookedWorkspace(app());
      hooked.receiver.respond(() => ({ status: 500 }));
      await addSomeone(app(), hooked);
      const webhook = await waitForValue(
        'the failing endpoint to be disabled',
        () => webhookOf(hooked.owner.token, hooked.webhookId),
        (w) => !w.enabled,
      );
      expect(webhook).toMatchObject({ enabled: false, disabledReason: expect.stringMatching(/failed since .* \(longer than 300ms\)/) });
      expect((await disabledEvents(hooked)).map((e) => [e.resourceId, e.data.disabledReason])).toEqual([
        [hooked.webhookId, webhook.disabledReason],
      ]);
      const [pending] = await waitForDeliveries(app(), hooked.owner, hooked.webhookId, (items) => items[0]?.status === 'pending');
      const triedBefore = hooked.receiver.requests.length;
      // Make the held delivery due, then send a later one to another endpoint: the dispatcher claims in due
      // order, so once that one is heard (and the held one is not leased) a claim has passed the held one by.
      const { db } = app().ctx;
      await db
        .updateTable('webhook_deliveries')
        .set({ next_attempt_at: new Date(Date.now() - 60_000).toISOString() })
        .where('id', '=', pending.id)
        .execute();
      const marker = await receivers.start();
      await createWebhook(app(), hooked.owner, hooked.workspace.id, { url: marker.url, events: ['member.added'] });
      await addSomeone(app(), hooked);
      await marker.nth(0);
      const held = () =>
        db.selectFrom('webhook_deliveries').select(['lease_token', 'attempts']).where('id', '=', pending.id).executeTakeFirstOrThrow();
      await waitFor('the held delivery to be free of any lease', async () => (await held()).lease_token === null);
      expect(hooked.receiver.requests).toHaveLength(triedBefore);
      expect((await held()).attempts).toBe(pending.attempts);

      hooked.receiver.respond(() => ({ status: 200 }));
      const enabled = await app().request('PATCH', `/api/v1/webhooks/${hooked.webhookId}`, {
        token: hooked.owner.token,
        body: { enabled: true },
      });
      expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
      const [done] = await waitForDeliveries(app(), hooked.owner, hooked.webhookId, (items) => items[0]?.status === 'succeeded');
      expect(done.id).toBe(pending.id);
    });

    it('records webhook.disabled when disabled through the API too', async () => {
      const hooked = await receivers.hookedWorkspace(app());
      const res = await app().request('PATCH', `/api/v1/webhooks/${hooked.webhookId}`, {
        token: hooked.owner.token,
        body: { enabled: false },
      });
      expect(res.status).toBe(200);
      const events = await disabledEvents(hooked);
      expect(events.map((e) => [e.resourceId, e.actor.id, e.data.disabledReason])).toEqual([
        [hooked.webhookId, hooked.owner.id, 'Disabled through the API'],
      ]);
    });

    it('a success ends the failing streak', async () => {
      const hooked = await receivers.hookedWorkspace(app());
      hooked.receiver.respond((_req, index) => ({ status: index === 0 ? 500 : 200 }));
      await addSomeone(app(), hooked);
      await waitForDeliveries(app(), hooked.owner, hooked.webhookId, (items) => items[0]?.status === 'succeeded');
      expect(await webhookOf(hooked.owner.token, hooked.webhookId)).toMatchObject({ enabled: true, failingSince: null });
    });
  },
  {
    ...FAST_WEBHOOKS,
    TASKGATE_WEBHOOK_RETRY_SCHEDULE: '100ms,100ms,100ms,100ms,100ms,100ms,100ms,100ms',
    TASKGATE_WEBHOOK_DISABLE_AFTER: '300ms',
  },
);
