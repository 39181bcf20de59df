import { expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { verifyWebhook, WebhookVerificationError } from '../../packages/client/src/index.js';
import { receiverPerSuite } from '../webhooks/receiver.js';
import { describeWithServer, userWithProject } from './server.js';

const SERVER_ENV = { TASKGATE_WEBHOOK_ALLOW_PRIVATE: 'true' };

describeWithServer(
  '@taskgate/client: verifyWebhook on real deliveries',
  (server) => {
    const receiver = receiverPerSuite();

    it('accepts a delivery from a server process, as the standardwebhooks package does, and refuses tampering', async () => {
      const { tg, workspace, project } = await userWithProject(server().url);
      const hook = await tg.webhooks.create(workspace.id, { url: receiver().url, events: ['task.created'] });
      const task = await tg.tasks.create({ projectId: project.id, title: 'Signed' });
      const [delivery] = (await receiver().waitFor((all) => all.some((r) => r.body.includes(task.id)))).filter((r) =>
        r.body.includes(task.id),
      );

      const payload = await verifyWebhook(delivery!.body, delivery!.headers, hook.secret);
      expect(payload).toMatchObject({ type: 'task.created', data: { resourceId: task.id, object: { title: 'Signed' } } });
      expect(new Webhook(hook.secret).verify(delivery!.body, delivery!.headers)).toEqual(payload);

      await expect(verifyWebhook(delivery!.body.replace('Signed', 'Forged'), delivery!.headers, hook.secret)).rejects.toBeInstanceOf(
        WebhookVerificationError,
      );
      await expect(verifyWebhook(delivery!.body, delivery!.headers, `whsec_${btoa('another key of 32 bytes, not it!')}`)).rejects.toThrow(
        'No signature matches',
      );
      const later = new Date((Number(delivery!.headers['webhook-timestamp']) + 301) * 1000);
      await expect(verifyWebhook(delivery!.body, delivery!.headers, hook.secret, { now: later })).rejects.toThrow('too old');
      const { 'webhook-signature': _, ...unsigned } = delivery!.headers;
      await expect(verifyWebhook(delivery!.body, unsigned, hook.secret)).rejects.toThrow('Missing');
    });

    it('accepts both secrets while a rotation is in its grace period', async () => {
      const { tg, workspace } = await userWithProject(server().url);
      const hook = await tg.webhooks.create(workspace.id, { url: receiver().url, events: ['*'] });
      const rotated = await tg.webhooks.rotateSecret(hook.id, { graceSeconds: 600 });
      const queued = await tg.webhooks.test(hook.id);
      const [ping] = await receiver()
        .waitFor((all) => all.some((r) => r.headers['webhook-id'] === queued.messageId))
        .then((all) => all.filter((r) => r.headers['webhook-id'] === queued.messageId));
      expect(ping!.headers['webhook-signature']!.split(' ')).toHaveLength(2);

      for (const secret of [hook.secret, rotated.secret]) {
        expect(await verifyWebhook(ping!.body, ping!.headers, secret)).toMatchObject({ type: 'ping' });
      }
      // A receiver that already moved to the new secret keeps both in its list during the grace.
      expect(
        await verifyWebhook(new TextEncoder().encode(ping!.body), new Headers(ping!.headers), [rotated.secret, hook.secret]),
      ).toMatchObject({ type: 'ping' });
      expect(new Webhook(rotated.secret).verify(ping!.body, ping!.headers)).toMatchObject({ type: 'ping' });
    });
  },
  SERVER_ENV,
);

describeWithServer('@taskgate/client: iterating pages', (server) => {
  it('walks 500 tasks across pages in order, and gives one page on request', async () => {
    const { tg, project } = await userWithProject(server().url);
    const created: string[] = [];
    for (let batch = 0; batch < 50; batch++) {
      const tasks = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          tg.tasks.create({ projectId: project.id, title: `Task ${batch * 10 + i}`, position: batch * 10 + i }),
        ),
      );
      created.push(...tasks.map((t) => t.id));
    }
    const seen: string[] = [];
    for await (const task of tg.tasks.list({ projectId: project.id, limit: 30 })) seen.push(task.id);
    expect(seen).toEqual(created);

    const first = await tg.tasks.list({ projectId: project.id, limit: 200 }).page();
    expect(first.items).toHaveLength(200);
    const second = await tg.tasks.list({ projectId: project.id, limit: 200 }).page(first.nextCursor!);
    expect(second.items[0]!.id).toBe(created[200]);
  });
});
