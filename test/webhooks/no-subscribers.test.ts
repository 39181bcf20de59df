import { afterEach, expect, it } from 'vitest';
import { createUser, createWorkspace } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/harness.js';
import { addSomeone, createWebhook, eventIds, FAST_WEBHOOKS } from './helpers.js';
import { Receiver } from './receiver.js';

const receivers: Receiver[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
});

// Its own app: "no endpoint anywhere" must hold for the whole database.
describeEachDialect('webhook fan-out with no endpoint enabled', (app) => {
  it('moves past events nobody hears without creating deliveries, then serves a new endpoint', async () => {
    const owner = await createUser(app());
    const workspace = await createWorkspace(app(), owner);
    for (let i = 0; i < 3; i++) await addSomeone(app(), { owner, workspace });
    const { seq: lastSeq } = await app().ctx.db.selectFrom('events').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    const deadline = Date.now() + 5000;
    const cursor = () => app().ctx.db.selectFrom('webhook_cursor').selectAll().executeTakeFirstOrThrow();
    while (Number((await cursor()).last_seq) < lastSeq && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(Number((await cursor()).last_seq)).toBe(lastSeq);
    expect(await app().ctx.db.selectFrom('webhook_deliveries').select('id').execute()).toEqual([]);

    const receiver = await Receiver.start();
    receivers.push(receiver);
    await createWebhook(app(), owner, workspace.id, { url: receiver.url, events: ['member.added'] });
    await addSomeone(app(), { owner, workspace });
    const request = await receiver.nth(0);
    const ids = await eventIds(app(), { owner, workspace }, 'member.added');
    expect(request.headers['webhook-id']).toBe(ids.at(-1));
    await new Promise((r) => setTimeout(r, 200));
    expect(receiver.requests).toHaveLength(1);
  });
}, FAST_WEBHOOKS);
