import { expect, it } from 'vitest';
import { describeEachDialect } from '../helpers/harness.js';
import { addSomeone, FAST_WEBHOOKS, receiversClosedAfterEach, waitForDeliveries } from './helpers.js';

const receivers = receiversClosedAfterEach();

describeEachDialect(
  'webhook delivery history retention',
  (app) => {
    it('prunes finished deliveries and their attempts after the retention period, and keeps pending ones', async () => {
      const hooked = await receivers.hookedWorkspace(app());
      hooked.receiver.respond((_req, index) => ({ status: index === 0 ? 200 : 500 }));
      await addSomeone(app(), hooked);
      const [done] = await waitForDeliveries(app(), hooked.owner, hooked.webhookId, (items) => items[0]?.status === 'succeeded');
      // The next one keeps failing on a long schedule, so it is still pending when the first is pruned.
      await addSomeone(app(), hooked);
      await waitForDeliveries(app(), hooked.owner, hooked.webhookId, (items) =>
        items.some((d) => d.status === 'pending' && d.attempts >= 1),
      );

      const remaining = await waitForDeliveries(app(), hooked.owner, hooked.webhookId, (items) => items.length === 1, 5000);
      expect(remaining[0].status).toBe('pending');
      expect(remaining[0].id).not.toBe(done.id);
      const attempts = await app().ctx.db.selectFrom('webhook_attempts').select('id').where('delivery_id', '=', done.id).execute();
      expect(attempts).toEqual([]);
    });

    it('prunes the pending deliveries of a disabled endpoint after the retention period too', async () => {
      const hooked = await receivers.hookedWorkspace(app());
      hooked.receiver.respond(() => ({ status: 500 }));
      await addSomeone(app(), hooked);
      const [waiting] = await waitForDeliveries(
        app(),
        hooked.owner,
        hooked.webhookId,
        (items) => items[0]?.status === 'pending' && items[0]?.attempts === 1,
      );
      const disabled = await app().request('PATCH', `/api/v1/webhooks/${hooked.webhookId}`, {
        token: hooked.owner.token,
        body: { enabled: false },
      });
      expect(disabled.status).toBe(200);

      await waitForDeliveries(app(), hooked.owner, hooked.webhookId, (items) => items.length === 0, 5000);
      const attempts = await app().ctx.db.selectFrom('webhook_attempts').select('id').where('delivery_id', '=', waiting.id).execute();
      expect(attempts).toEqual([]);
    });

    it('forgets the old secret once its rotation grace has ended', async () => {
      const hooked = await receivers.hookedWorkspace(app());
      const rotated = await app().request('POST', `/api/v1/webhooks/${hooked.webhookId}/rotate-secret`, {
        token: hooked.owner.token,
        body: { graceSeconds: 1 },
      });
      expect(rotated.status).toBe(200);
      const row = () => app().ctx.db.selectFrom('webhooks').selectAll().where('id', '=', hooked.webhookId).executeTakeFirstOrThrow();
      expect((await row()).previous_secret_encrypted).not.toBeNull();
      const deadline = Date.now() + 5000;
      while ((await row()).previous_secret_encrypted !== null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(await row()).toMatchObject({ previous_secret_encrypted: null, previous_secret_expires_at: null });
    });
  },
  { ...FAST_WEBHOOKS, TASKGATE_WEBHOOK_RETRY_SCHEDULE: '1h', TASKGATE_WEBHOOK_RETENTION: '1s' },
);
