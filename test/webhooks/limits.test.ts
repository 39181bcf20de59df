import { expect, it } from 'vitest';
import { newId } from '../../src/lib/ids.js';
import { fanOutOnce } from '../../src/webhooks/fan-out.js';
import { MAX_WEBHOOKS_PER_WORKSPACE } from '../../src/webhooks/webhooks.service.js';
import { createUser, createWorkspace, expectError } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { createWebhook } from './helpers.js';

// Nothing is delivered here: the receiver URL is never called, and the dispatcher (polling hourly) leaves
// fan-out to the test's own steps.
const NOWHERE = 'http://127.0.0.1:9/hook';

describeEachDialect(
  'webhook limits',
  (app) => {
    it(`caps a workspace at ${MAX_WEBHOOKS_PER_WORKSPACE} webhooks, also when the last places are taken at once`, async () => {
      const owner = await createUser(app());
      const workspace = await createWorkspace(app(), owner);
      const { webhookId } = await createWebhook(app(), owner, workspace.id, { url: NOWHERE, events: ['*'] });
      const { db } = app().ctx;
      const template = await db.selectFrom('webhooks').selectAll().where('id', '=', webhookId).executeTakeFirstOrThrow();
      const copies = Array.from({ length: MAX_WEBHOOKS_PER_WORKSPACE - 3 }, () => ({ ...template, id: newId('webhook'), enabled: 0 }));
      await db.insertInto('webhooks').values(copies).execute();

      // Two places left, five creations at once: exactly two get them.
      const path = `/api/v1/workspaces/${workspace.id}/webhooks`;
      const attempts = await Promise.all(
        Array.from({ length: 5 }, () => app().request('POST', path, { token: owner.token, body: { url: NOWHERE, events: ['*'] } })),
      );
      expect(attempts.map((r) => r.status).sort()).toEqual([201, 201, 409, 409, 409]);
      const refused = attempts.find((r) => r.status === 409);
      if (!refused) throw new Error('no refusal');
      expectError(refused, 409, 'CONFLICT');
      expect(refused.body.error).toMatch(new RegExp(`already has ${MAX_WEBHOOKS_PER_WORKSPACE} webhooks.*delete one`));
      const count = await db.selectFrom('webhooks').select('id').where('workspace_id', '=', workspace.id).execute();
      expect(count).toHaveLength(MAX_WEBHOOKS_PER_WORKSPACE);

      // Another workspace is not affected, and deleting one frees a place.
      const other = await createWorkspace(app(), owner);
      await createWebhook(app(), owner, other.id, { url: NOWHERE, events: ['*'] });
      expect((await app().request('DELETE', `/api/v1/webhooks/${webhookId}`, { token: owner.token })).status).toBe(204);
      await createWebhook(app(), owner, workspace.id, { url: NOWHERE, events: ['*'] });
    });

    it('builds a bounded number of delivery rows per fan-out step, always taking at least one event', async () => {
      const { db, dialect } = app().ctx;
      const owner = await createUser(app());
      const workspace = await createWorkspace(app(), owner);
      const webhookIds: string[] = [];
      for (let i = 0; i < 3; i++)
        webhookIds.push((await createWebhook(app(), owner, workspace.id, { url: NOWHERE, events: ['label.created'] })).webhookId);
      // One event per call (adding a member records two: invited, then added).
      let labels = 0;
      const recordOneEvent = async () => {
        const res = await app().request('POST', `/api/v1/workspaces/${workspace.id}/labels`, {
          token: owner.token,
          body: { name: `limit-${++labels}` },
        });
        expect(res.status).toBe(201);
      };
      // What earlier tests of this suite left behind is fanned out first.
      while ((await fanOutOnce(db, dialect)).more);
      for (let i = 0; i < 3; i++) await recordOneEvent();

      const steps = [];
      for (let step = await fanOutOnce(db, dialect, 4); step.events > 0; step = await fanOutOnce(db, dialect, 4)) steps.push(step);
      // Three endpoints per event: one event per step, as a second would make six rows.
      expect(steps).toEqual([
        { events: 1, deliveries: 3, more: true },
        { events: 1, deliveries: 3, more: true },
        { events: 1, deliveries: 3, more: false },
      ]);
      for (let i = 0; i < 2; i++) await recordOneEvent();
      // Fewer places than endpoints: the first event is taken all the same.
      expect(await fanOutOnce(db, dialect, 2)).toEqual({ events: 1, deliveries: 3, more: true });
      expect(await fanOutOnce(db, dialect, 6)).toEqual({ events: 1, deliveries: 3, more: false });

      const deliveries = await db
        .selectFrom('webhook_deliveries')
        .select(['webhook_id', 'message_id'])
        .where('workspace_id', '=', workspace.id)
        .execute();
      const events = await db
        .selectFrom('events')
        .select('id')
        .where('workspace_id', '=', workspace.id)
        .where('type', '=', 'label.created')
        .execute();
      expect(events).toHaveLength(5);
      expect(deliveries.map((d) => `${d.webhook_id}/${d.message_id}`).sort()).toEqual(
        webhookIds.flatMap((w) => events.map((e) => `${w}/${e.id}`)).sort(),
      );
    });
  },
  { TASKGATE_WEBHOOK_POLL: '1h' },
);
