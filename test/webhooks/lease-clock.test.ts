import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { claimDueDeliveries, type ClaimRequest } from '../../src/webhooks/claim.js';
import { fanOutOnce } from '../../src/webhooks/fan-out.js';
import { enabledDialects, startTestApp, type TestApp } from '../helpers/harness.js';
import { addSomeone, hookedWorkspace } from './helpers.js';

const request: ClaimRequest = { limit: 10, leaseMs: 60_000, roomFor: () => 16, fullEndpoints: [] };

// Only PostgreSQL serves several machines, each with its own clock; SQLite's processes share one.
describe.runIf(enabledDialects().includes('postgres'))('webhook leases on PostgreSQL follow the database clock', () => {
  let app: TestApp;
  beforeAll(async () => {
    // Dispatching is left to the test: the app's own dispatcher polls hourly.
    app = await startTestApp('postgres', { TASKGATE_WEBHOOK_POLL: '1h' });
  });
  afterAll(async () => {
    await app.close();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a server whose clock runs ahead cannot take a lease another still holds', async () => {
    const hooked = await hookedWorkspace(app);
    await hooked.receiver.close();
    await addSomeone(app, hooked);
    while ((await fanOutOnce(app.ctx.db, 'postgres')).more);

    const first = await claimDueDeliveries(app.ctx.db, 'postgres', request);
    expect(first.deliveries.map((d) => d.webhook_id)).toEqual([hooked.webhookId]);
    const leaseEnds = Date.parse(first.deliveries[0]?.lease_until ?? '');
    expect(Math.abs(leaseEnds - (Date.now() + request.leaseMs))).toBeLessThan(5000);

    // Another server, its clock ten minutes fast: by its own clock the lease ran out long ago.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 10 * 60_000);
    const second = await claimDueDeliveries(app.ctx.db, 'postgres', request);
    expect(second.deliveries).toEqual([]);
  });
});
