import { expect, it } from 'vitest';
import { createUser, createWorkspace } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { addSomeone, createWebhook, eventIds, FAST_WEBHOOKS, receiversClosedAfterEach, waitForDispatchIdle } from './helpers.js';

const receivers = receiversClosedAfterEach();

// Its own app: "no endpoint anywhere" must hold for the whole database.
describeEachDialect(
  'webhook fan-out with no endpoint enabled',
  (app) => {
    it('moves past events nobody hears without creating deliveries, then serves a new endpoint', async () => {
      const owner = await createUser(app());
      const workspace = await createWorkspace(app(), owner);
      for (let i = 0; i < 3; i++) await addSomeone(app(), { owner, workspace });
      const { seq: lastSeq } = await app()
        .ctx.db.selectFrom('events')
        .select('seq')
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      await waitForDispatchIdle(app(), [], 5000);
      const cursor = await app().ctx.db.selectFrom('webhook_cursor').selectAll().executeTakeFirstOrThrow();
      expect(Number(cursor.last_seq)).toBe(Number(lastSeq));
      expect(await app().ctx.db.selectFrom('webhook_deliveries').select('id').execute()).toEqual([]);

      const receiver = await receivers.start();
      const { webhookId } = await createWebhook(app(), owner, workspace.id, { url: receiver.url, events: ['member.added'] });
      await addSomeone(app(), { owner, workspace });
      const request = await receiver.nth(0);
      const ids = await eventIds(app(), { owner, workspace }, 'member.added');
      expect(request.headers['webhook-id']).toBe(ids.at(-1));
      await waitForDispatchIdle(app(), [webhookId]);
      expect(receiver.requests).toHaveLength(1);
    });
  },
  FAST_WEBHOOKS,
);
