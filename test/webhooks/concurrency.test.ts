import { afterEach, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/context.js';
import { WebhookDispatcher } from '../../src/webhooks/dispatcher.js';
import { addMember, createUser } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { createWebhook, FAST_WEBHOOKS, hookedWorkspace, waitForDeliveries } from './helpers.js';
import { Receiver } from './receiver.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describeEachDialect(
  'webhook dispatchers in several processes',
  (app) => {
    it('never sends one attempt twice when two dispatchers share the database', async () => {
      const hooked = await hookedWorkspace(app(), { events: ['member.role_changed'] });
      const receiver: Receiver = hooked.receiver;
      cleanups.push(() => receiver.close());
      receiver.respond(() => ({ status: 200, delayMs: 15 }));
      // A second server's worth of dispatching: its own connections to the same database.
      const other: AppContext = await createContext(app().ctx.config);
      const dispatcher = new WebhookDispatcher(other, app().app.log);
      dispatcher.start();
      let stopped: Promise<void> | null = null;
      const stopOther = () => (stopped ??= dispatcher.stop());
      cleanups.push(async () => {
        await stopOther();
        await other.close();
      });

      const member = await createUser(app());
      await addMember(app(), hooked.owner, hooked.workspace, member, 'viewer');
      const changes = 80;
      for (let i = 0; i < changes; i++) {
        const role = i % 2 === 0 ? 'team_member' : 'viewer';
        const res = await app().request('PATCH', `/api/v1/workspaces/${hooked.workspace.id}/members/${member.id}`, {
          token: hooked.owner.token,
          body: { role },
        });
        expect(res.status).toBe(200);
      }
      await receiver.waitFor((r) => r.length >= changes, 20_000);
      await waitForDeliveries(app(), hooked.owner, hooked.webhookId, (items) => items.every((d) => d.status === 'succeeded'));
      // Stopping lets the second dispatcher's in-flight attempts finish: a twin it sent has been heard by now.
      await stopOther();

      const ids = receiver.requests.map((r) => r.headers['webhook-id']);
      const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
      expect(repeated, 'webhook-ids sent more than once').toEqual([]);
      expect(ids).toHaveLength(changes);
      const attempts = await app()
        .ctx.db.selectFrom('webhook_attempts')
        .innerJoin('webhook_deliveries', 'webhook_deliveries.id', 'webhook_attempts.delivery_id')
        .select('webhook_attempts.id')
        .where('webhook_deliveries.webhook_id', '=', hooked.webhookId)
        .execute();
      expect(attempts).toHaveLength(changes);
    });

    it('keeps a hanging endpoint from holding up the others', async () => {
      const hooked = await hookedWorkspace(app(), { events: ['member.role_changed'] });
      const stuck: Receiver = hooked.receiver;
      stuck.respond(() => ({ status: 200, hang: true }));
      const healthy = await Receiver.start();
      cleanups.push(
        () => stuck.close(),
        () => healthy.close(),
      );
      await createWebhook(app(), hooked.owner, hooked.workspace.id, { url: healthy.url, events: ['member.role_changed'] });

      const member = await createUser(app());
      await addMember(app(), hooked.owner, hooked.workspace, member, 'viewer');
      const changes = 60;
      for (let i = 0; i < changes; i++) {
        const role = i % 2 === 0 ? 'team_member' : 'viewer';
        expect(
          (
            await app().request('PATCH', `/api/v1/workspaces/${hooked.workspace.id}/members/${member.id}`, {
              token: hooked.owner.token,
              body: { role },
            })
          ).status,
        ).toBe(200);
      }
      // Well before the stuck endpoint's attempts time out (5 s) and free their slots.
      await healthy.waitFor((r) => r.length >= changes, 4000);
      expect(stuck.requests.length).toBeLessThanOrEqual(16);
    });
  },
  { ...FAST_WEBHOOKS, TASKGATE_WEBHOOK_TIMEOUT: '5s' },
);
