import { expect, it } from 'vitest';
import { describeEachDialect } from '../helpers/harness.js';
import { freePort } from '../helpers/server-process.js';
import { pauseAfter, pausesFor } from '../../src/webhooks/endpoint-backoff.js';
import { faultTenant, waitFor } from './tenant.js';

// Every delivery would be retried each 100 ms on its own: only the endpoint's backoff spaces attempts out.
const SCHEDULE = '100ms,100ms,100ms,100ms,100ms,100ms,100ms,100ms,2s';
const PAUSES = pausesFor([100, 2000]);
const PROBES = 4;

describeEachDialect(
  'a webhook endpoint that refuses connections',
  (app) => {
    it('is probed once per pause, the pause doubling, rather than sent every delivery as it falls due', async () => {
      const tenant = await faultTenant(app());
      const { body: workspaces } = await app().request('GET', '/api/v1/workspaces', { token: tenant.session });
      // Nothing listens on a port just found free: each attempt fails at once with ECONNREFUSED.
      const url = `http://127.0.0.1:${await freePort()}/hook`;
      const hook = await app().request('POST', `/api/v1/workspaces/${workspaces.items[0].id}/webhooks`, {
        token: tenant.session,
        body: { url, events: ['*'] },
      });
      expect(hook.status, hook.text).toBe(201);
      for (let i = 0; i < 30; i++) {
        const task = await app().request('POST', '/api/v1/tasks', {
          token: tenant.session,
          body: { projectId: tenant.projectId, title: `Event ${i}` },
        });
        expect(task.status).toBe(201);
      }

      const attempts = () =>
        app()
          .ctx.db.selectFrom('webhook_attempts as a')
          .innerJoin('webhook_deliveries as d', 'd.id', 'a.delivery_id')
          .select(['a.attempted_at', 'a.duration_ms', 'a.error'])
          .where('d.webhook_id', '=', hook.body.id)
          .orderBy('a.attempted_at')
          .execute();
      // Attempts started before the first failure came back were sent before any pause existed: the burst.
      const split = (rows: Awaited<ReturnType<typeof attempts>>) => {
        const firstFailureAt = Math.min(...rows.map((row) => Date.parse(row.attempted_at) + row.duration_ms));
        const burst = rows.filter((row) => Date.parse(row.attempted_at) <= firstFailureAt);
        return { firstFailureAt, burst, probes: rows.slice(burst.length) };
      };
      await waitFor('probes', async () => split(await attempts()).probes.length >= PROBES, 30_000);

      const rows = await attempts();
      const { firstFailureAt, burst, probes } = split(rows);
      expect(rows.every((row) => row.error !== null)).toBe(true);
      const gaps = probes.map(
        (row, i) => Date.parse(row.attempted_at) - (i === 0 ? firstFailureAt : Date.parse(probes[i - 1]!.attempted_at)),
      );
      // Each probe starts no sooner than its pause after the failure before it (ms rounding aside).
      for (const [i, gap] of gaps.entries()) expect(gap).toBeGreaterThanOrEqual(pauseAfter(i + 1, PAUSES) - 2);
      console.log(
        `[fault refusing receiver, ${app().dialect}] 30 deliveries: ${burst.length} attempt(s) before the first failure, ` +
          `then probes ${gaps.join(', ')} ms apart ` +
          `(pauses ${gaps.map((_, i) => pauseAfter(i + 1, PAUSES)).join(', ')} ms); ${rows.length} attempts in all`,
      );
    }, 60_000);
  },
  { TASKGATE_WEBHOOK_POLL: '20ms', TASKGATE_WEBHOOK_RETRY_SCHEDULE: SCHEDULE, TASKGATE_WEBHOOK_TIMEOUT: '1s' },
);
