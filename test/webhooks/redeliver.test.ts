import { expect, it } from 'vitest';
import { addMember, createUser, expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { addSomeone, FAST_WEBHOOKS, receiversClosedAfterEach, waitForDeliveries } from './helpers.js';

const receivers = receiversClosedAfterEach();

describeEachDialect(
  'webhook redelivery',
  (app) => {
    it('sends a delivered event again with the same webhook-id and body', async () => {
      const hooked = await receivers.hookedWorkspace(app());
      await addSomeone(app(), hooked);
      const [delivery] = await waitForDeliveries(app(), hooked.owner, hooked.webhookId, (items) => items[0]?.status === 'succeeded');
      const again = await app().request('POST', `/api/v1/webhook-deliveries/${delivery.id}/redeliver`, { token: hooked.owner.token });
      expect(again.status, JSON.stringify(again.body)).toBe(202);
      expect(again.body).toMatchObject({ id: delivery.id, status: 'pending' });

      const [first, second] = await hooked.receiver.waitFor((r) => r.length >= 2);
      expect(second?.headers['webhook-id']).toBe(first?.headers['webhook-id']);
      expect(second?.body).toBe(first?.body);
      const [done] = await waitForDeliveries(
        app(),
        hooked.owner,
        hooked.webhookId,
        (items) => items[0]?.status === 'succeeded' && items[0]?.attempts === 2,
      );
      const detail = await app().request('GET', `/api/v1/webhook-deliveries/${done.id}`, { token: hooked.owner.token });
      expect(detail.body.attemptHistory).toHaveLength(2);
    });

    it('revives a failed delivery once the endpoint is fixed', async () => {
      const hooked = await receivers.hookedWorkspace(app());
      hooked.receiver.respond(() => ({ status: 500 }));
      await addSomeone(app(), hooked);
      const [failed] = await waitForDeliveries(app(), hooked.owner, hooked.webhookId, (items) => items[0]?.status === 'failed');
      hooked.receiver.respond(() => ({ status: 200 }));
      const again = await app().request('POST', `/api/v1/webhook-deliveries/${failed.id}/redeliver`, { token: hooked.owner.token });
      expect(again.status).toBe(202);
      const [done] = await waitForDeliveries(app(), hooked.owner, hooked.webhookId, (items) => items[0]?.status === 'succeeded');
      expect(done.attempts).toBe(4);
    });

    it('refuses members without webhooks:write, outsiders, and disabled endpoints', async () => {
      const hooked = await receivers.hookedWorkspace(app());
      await addSomeone(app(), hooked);
      const [delivery] = await waitForDeliveries(app(), hooked.owner, hooked.webhookId, (items) => items[0]?.status === 'succeeded');
      const manager = await createUser(app());
      await addMember(app(), hooked.owner, hooked.workspace, manager, 'workspace_manager');
      const path = `/api/v1/webhook-deliveries/${delivery.id}`;
      expectError(await app().request('POST', `${path}/redeliver`, { token: manager.token }), 403, 'PERMISSION_DENIED');
      expectError(await app().request('GET', path, { token: manager.token }), 403, 'PERMISSION_DENIED');
      const outsider = await createUser(app());
      expectError(await app().request('POST', `${path}/redeliver`, { token: outsider.token }), 404, 'NOT_FOUND');
      expectError(await app().request('GET', path, { token: outsider.token }), 404, 'NOT_FOUND');
      expectError(
        await app().request('POST', '/api/v1/webhook-deliveries/dlv_nope/redeliver', { token: hooked.owner.token }),
        404,
        'NOT_FOUND',
      );

      // Adding the manager was itself an event: wait for it, then count.
      await hooked.receiver.waitFor((r) => r.length >= 2);
      await app().request('PATCH', `/api/v1/webhooks/${hooked.webhookId}`, { token: hooked.owner.token, body: { enabled: false } });
      expectError(await app().request('POST', `${path}/redeliver`, { token: hooked.owner.token }), 409, 'CONFLICT');
      expectError(await app().request('POST', `/api/v1/webhooks/${hooked.webhookId}/test`, { token: hooked.owner.token }), 409, 'CONFLICT');
      // Neither refusal made a delivery or revived one: the two sent are all there is.
      const deliveries = await waitForDeliveries(app(), hooked.owner, hooked.webhookId, () => true);
      expect(deliveries.map((d) => d.status)).toEqual(['succeeded', 'succeeded']);
      expect(hooked.receiver.requests).toHaveLength(2);
    });
  },
  FAST_WEBHOOKS,
);
