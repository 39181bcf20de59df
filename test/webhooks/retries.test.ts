import { Webhook } from 'standardwebhooks';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../helpers/harness.js';
import { addSomeone, FAST_WEBHOOKS, hookedWorkspace, receiversClosedAfterEach, waitForDeliveries } from './helpers.js';

const receivers = receiversClosedAfterEach();

describeEachDialect(
  'webhook retries',
  (app) => {
    async function detailOf(token: string, deliveryId: string) {
      const res = await app().request('GET', `/api/v1/webhook-deliveries/${deliveryId}`, { token });
      expect(res.status).toBe(200);
      return res.body;
    }

    it('retries a 500 with the same webhook-id and a fresh valid signature', async () => {
      const hooked = await receivers.hookedWorkspace(app());
      hooked.receiver.respond((_req, index) => (index === 0 ? { status: 500, body: 'boom' } : { status: 204 }));
      await addSomeone(app(), hooked);
      const [delivery] = await waitForDeliveries(app(), hooked.owner, hooked.webhookId, (items) => items[0]?.status === 'succeeded');

      const [first, second] = hooked.receiver.requests;
      expect(hooked.receiver.requests).toHaveLength(2);
      expect(second?.headers['webhook-id']).toBe(first?.headers['webhook-id']);
      expect(second?.body).toBe(first?.body);
      for (const request of [first, second])
        expect(() => new Webhook(hooked.secret).verify(request?.body ?? '', request?.headers ?? {})).not.toThrow();
      expect(delivery).toMatchObject({ attempts: 2, lastResponseStatus: 204 });
      const detail = await detailOf(hooked.owner.token, delivery.id);
      expect(detail.attemptHistory.map((a: { responseStatus: number }) => a.responseStatus)).toEqual([500, 204]);
      expect(detail.attemptHistory[0].responseBody).toBe('boom');
    });

    it('gives up on an attempt after the timeout and retries it', async () => {
      const hooked = await receivers.hookedWorkspace(app());
      hooked.receiver.respond((_req, index) => (index === 0 ? { status: 200, delayMs: 2500 } : { status: 200 }));
      await addSomeone(app(), hooked);
      const [delivery] = await waitForDeliveries(app(), hooked.owner, hooked.webhookId, (items) => items[0]?.status === 'succeeded');
      expect(hooked.receiver.requests).toHaveLength(2);
      expect(hooked.receiver.requests[1]?.headers['webhook-id']).toBe(hooked.receiver.requests[0]?.headers['webhook-id']);
      const detail = await detailOf(hooked.owner.token, delivery.id);
      expect(detail.attemptHistory[0]).toMatchObject({ responseStatus: null, error: 'timed out after 1000 ms' });
      expect(detail.attemptHistory[0].durationMs).toBeGreaterThanOrEqual(900);
      expect(detail.attemptHistory[0].durationMs).toBeLessThan(2000);
    });

    it('marks a delivery failed once the retry schedule is spent', async () => {
      const hooked = await receivers.hookedWorkspace(app());
      hooked.receiver.respond(() => ({ status: 503 }));
      await addSomeone(app(), hooked);
      const [delivery] = await waitForDeliveries(app(), hooked.owner, hooked.webhookId, (items) => items[0]?.status === 'failed');
      // One attempt, then one per step of the 2-step schedule.
      expect(delivery).toMatchObject({ attempts: 3, nextAttemptAt: null, lastResponseStatus: 503 });
      expect(new Set(hooked.receiver.requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
      const webhook = await app().request('GET', `/api/v1/webhooks/${hooked.webhookId}`, { token: hooked.owner.token });
      expect(webhook.body.enabled).toBe(true);
      expect(webhook.body.failingSince).not.toBeNull();
    });

    it('waits as long as Retry-After asks on a 429', async () => {
      const hooked = await receivers.hookedWorkspace(app());
      hooked.receiver.respond((_req, index) => (index === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 }));
      await addSomeone(app(), hooked);
      const [first, second] = await hooked.receiver.waitFor((r) => r.length >= 2);
      expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
    });

    it('follows no redirect: a 3xx is a failed attempt', async () => {
      const hooked = await receivers.hookedWorkspace(app());
      const elsewhere = await receivers.start();
      hooked.receiver.respond((_req, index) => (index === 0 ? { status: 307, headers: { location: elsewhere.url } } : { status: 200 }));
      await addSomeone(app(), hooked);
      const [delivery] = await waitForDeliveries(app(), hooked.owner, hooked.webhookId, (items) => items[0]?.status === 'succeeded');
      expect(delivery.attempts).toBe(2);
      expect(elsewhere.requests).toHaveLength(0);
    });

    it('records a connection failure as an attempt with its error', async () => {
      const hooked = await hookedWorkspace(app());
      await hooked.receiver.close();
      await addSomeone(app(), hooked);
      const [delivery] = await waitForDeliveries(app(), hooked.owner, hooked.webhookId, (items) => items[0]?.status === 'failed');
      const detail = await detailOf(hooked.owner.token, delivery.id);
      expect(detail.attemptHistory).toHaveLength(3);
      expect(detail.attemptHistory[0].responseStatus).toBeNull();
      expect(detail.attemptHistory[0].error).toMatch(/ECONNREFUSED/);
    });
  },
  FAST_WEBHOOKS,
);
