import { Webhook } from 'standardwebhooks';
import { expect, it } from 'vitest';
import { createUser, createWorkspace } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import {
  addSomeone,
  createWebhook,
  eventIds,
  FAST_WEBHOOKS,
  receiversClosedAfterEach,
  waitForDeliveries,
  waitForDispatchIdle,
} from './helpers.js';

const receivers = receiversClosedAfterEach();

describeEachDialect(
  'webhook deliveries',
  (app) => {
    it('delivers a signed event that the standardwebhooks library verifies', async () => {
      const hooked = await receivers.hookedWorkspace(app(), { events: ['member.added'] });
      const member = await addSomeone(app(), hooked);
      const request = await hooked.receiver.nth(0);
      const [eventId] = await eventIds(app(), hooked, 'member.added');

      expect(() => new Webhook(hooked.secret).verify(request.body, request.headers)).not.toThrow();
      expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(request.body, request.headers)).toThrow();
      expect(request.headers['webhook-id']).toBe(eventId);
      expect(request.headers['user-agent']).toMatch(/^Taskgate-Webhooks\/\d+\.\d+\.\d+$/);
      expect(request.headers['x-taskgate-event']).toBe('member.added');
      expect(request.headers['content-type']).toBe('application/json');
      expect(Math.abs(Number(request.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
      const body = JSON.parse(request.body);
      expect(body).toMatchObject({
        type: 'member.added',
        // The invitee accepted: the new member is the actor.
        data: {
          eventId,
          workspaceId: hooked.workspace.id,
          actor: { type: 'user', id: member.id },
          resourceType: 'member',
          resourceId: member.id,
          object: { userId: member.id, email: member.email, role: 'viewer' },
        },
      });
      expect(Date.parse(body.timestamp)).not.toBeNaN();
    });

    it('sends only the subscribed event types, and only from its own workspace', async () => {
      const hooked = await receivers.hookedWorkspace(app(), { events: ['member.role_changed'] });
      const other = await createUser(app());
      const otherWorkspace = await createWorkspace(app(), other);
      await addSomeone(app(), { owner: other, workspace: otherWorkspace });
      const member = await addSomeone(app(), hooked);
      const changed = await app().request('PATCH', `/api/v1/workspaces/${hooked.workspace.id}/members/${member.id}`, {
        token: hooked.owner.token,
        body: { role: 'team_member' },
      });
      expect(changed.status).toBe(200);

      await hooked.receiver.waitFor((r) => r.length >= 1);
      await waitForDispatchIdle(app(), [hooked.webhookId]);
      expect(hooked.receiver.requests.map((r) => r.headers['x-taskgate-event'])).toEqual(['member.role_changed']);
    });

    it('family subscriptions match, and an endpoint hears nothing recorded before it existed', async () => {
      const owner = await createUser(app());
      const workspace = await createWorkspace(app(), owner);
      const receiver = await receivers.start();
      await addSomeone(app(), { owner, workspace });
      const { webhookId } = await createWebhook(app(), owner, workspace.id, { url: receiver.url, events: ['member.*'] });
      await addSomeone(app(), { owner, workspace });
      await receiver.waitFor((r) => r.length >= 2);
      await waitForDispatchIdle(app(), [webhookId]);
      expect(receiver.requests.map((r) => r.headers['x-taskgate-event']).sort()).toEqual(['member.added', 'member.invited']);
    });

    it('records each delivery and its attempts in the history', async () => {
      const hooked = await receivers.hookedWorkspace(app());
      await addSomeone(app(), hooked);
      const [delivery] = await waitForDeliveries(app(), hooked.owner, hooked.webhookId, (items) => items[0]?.status === 'succeeded');
      const [eventId] = await eventIds(app(), hooked, 'member.added');
      expect(delivery).toMatchObject({
        webhookId: hooked.webhookId,
        eventType: 'member.added',
        messageId: eventId,
        status: 'succeeded',
        attempts: 1,
        nextAttemptAt: null,
        lastResponseStatus: 200,
      });

      const detail = await app().request('GET', `/api/v1/webhook-deliveries/${delivery.id}`, { token: hooked.owner.token });
      expect(detail.status).toBe(200);
      expect(detail.body.payload).toMatchObject({ type: 'member.added' });
      expect(detail.body.attemptHistory).toHaveLength(1);
      expect(detail.body.attemptHistory[0]).toMatchObject({ responseStatus: 200, responseBody: 'ok', error: null });
      expect(detail.body.attemptHistory[0].durationMs).toBeGreaterThanOrEqual(0);
    });

    it('keeps only the first 2 KB of a response body', async () => {
      const hooked = await receivers.hookedWorkspace(app());
      hooked.receiver.respond(() => ({ status: 200, body: 'x'.repeat(10_000) }));
      await addSomeone(app(), hooked);
      const [delivery] = await waitForDeliveries(app(), hooked.owner, hooked.webhookId, (items) => items[0]?.status === 'succeeded');
      const detail = await app().request('GET', `/api/v1/webhook-deliveries/${delivery.id}`, { token: hooked.owner.token });
      expect(detail.body.attemptHistory[0].responseBody).toHaveLength(2048);
    });

    it('sends a signed ping on demand', async () => {
      const hooked = await receivers.hookedWorkspace(app(), { events: ['task.created'] });
      const res = await app().request('POST', `/api/v1/webhooks/${hooked.webhookId}/test`, { token: hooked.owner.token });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      expect(res.body).toMatchObject({ eventType: 'ping', status: 'pending' });
      const request = await hooked.receiver.nth(0);
      const verified = new Webhook(hooked.secret).verify(request.body, request.headers);
      expect(verified).toMatchObject({ type: 'ping', data: { resourceId: hooked.webhookId } });
      expect(request.headers['webhook-id']).toBe(res.body.messageId);
    });

    it('pages through the history newest first and filters by status', async () => {
      const hooked = await receivers.hookedWorkspace(app());
      for (let i = 0; i < 3; i++) await addSomeone(app(), hooked);
      await waitForDeliveries(
        app(),
        hooked.owner,
        hooked.webhookId,
        (items) => items.length === 3 && items.every((d) => d.status === 'succeeded'),
      );
      const first = await app().request('GET', `/api/v1/webhooks/${hooked.webhookId}/deliveries?limit=2`, { token: hooked.owner.token });
      expect(first.body.items).toHaveLength(2);
      const second = await app().request('GET', `/api/v1/webhooks/${hooked.webhookId}/deliveries?limit=2&cursor=${first.body.nextCursor}`, {
        token: hooked.owner.token,
      });
      expect(second.body.items).toHaveLength(1);
      expect(second.body.nextCursor).toBeNull();
      const ids = [...first.body.items, ...second.body.items].map((d: { id: string }) => d.id);
      expect(ids).toEqual([...ids].sort().reverse());
      const failed = await app().request('GET', `/api/v1/webhooks/${hooked.webhookId}/deliveries?status=failed`, {
        token: hooked.owner.token,
      });
      expect(failed.body.items).toEqual([]);
    });
  },
  FAST_WEBHOOKS,
);
