import { expect, it } from 'vitest';
import { generateToken } from '../../src/credentials/token-format.js';
import { expectError } from '../helpers/factories.js';
import { describeEachDialect, startTestApp } from '../helpers/harness.js';
import { createToken, tokenOwner } from '../tokens/helpers.js';

const METRICS_TOKEN = 'scrape-me-please-0123456789';

/** One sample's value from Prometheus' text format, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== '{' && rest[0] !== ' ') continue;
    if (!Object.entries(labels).every(([k, v]) => rest.includes(`${k}="${v}"`))) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describeEachDialect(
  'GET /metrics',
  (app) => {
    const scrape = async () => {
      const res = await app().request('GET', '/metrics', { token: METRICS_TOKEN });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      return res.text;
    };

    it('requires the metrics token, in the error envelope', async () => {
      expectError(await app().request('GET', '/metrics'), 401, 'UNAUTHENTICATED');
      expectError(await app().request('GET', '/metrics', { token: `${METRICS_TOKEN}x` }), 401, 'UNAUTHENTICATED');
      // A Taskgate token, even an owner's, is not the metrics token.
      const { owner } = await tokenOwner(app());
      expectError(await app().request('GET', '/metrics', { token: owner.token }), 401, 'UNAUTHENTICATED');
    });

    it('counts requests by route pattern, authentications by kind and outcome, and 429s', async () => {
      const { owner } = await tokenOwner(app());
      const { token } = await createToken(app(), owner, { rateLimitPerMinute: 2 });
      const before = await scrape();
      const okBefore = sample(before, 'taskgate_authentications_total', { kind: 'personal_token', outcome: 'ok' }) ?? 0;
      const forgedBefore = sample(before, 'taskgate_authentications_total', { kind: 'personal_token', outcome: 'INVALID_TOKEN' }) ?? 0;

      for (let i = 0; i < 3; i++) await app().request('GET', '/api/v1/me', { token });
      expectError(await app().request('GET', '/api/v1/me', { token: generateToken('personal') }), 401, 'INVALID_TOKEN');

      const after = await scrape();
      expect(sample(after, 'taskgate_authentications_total', { kind: 'personal_token', outcome: 'ok' })).toBe(okBefore + 2);
      expect(sample(after, 'taskgate_authentications_total', { kind: 'personal_token', outcome: 'INVALID_TOKEN' })).toBe(forgedBefore + 1);
      expect(sample(after, 'taskgate_authentications_total', { kind: 'personal_token', outcome: 'RATE_LIMITED' })).toBeGreaterThanOrEqual(
        1,
      );
      expect(sample(after, 'taskgate_rate_limit_refusals_total', { kind: 'personal_token' })).toBeGreaterThanOrEqual(1);
      // By the route's pattern, never the concrete URL (ids would make a series per resource).
      expect(
        sample(after, 'taskgate_http_request_duration_seconds_count', { route: '/api/v1/me', status_class: '2xx' }),
      ).toBeGreaterThanOrEqual(2);
      expect(after).not.toMatch(/route="\/api\/v1\/tokens\/tok_/);
    });

    it('shows the webhook backlog, batched last use and process figures', async () => {
      const { owner } = await tokenOwner(app());
      const { token } = await createToken(app(), owner);
      await app().request('GET', '/api/v1/me', { token });
      const text = await scrape();
      expect(sample(text, 'taskgate_webhook_outbox_depth')).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'taskgate_webhook_delivery_lag_seconds')).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'taskgate_last_used_pending')).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'taskgate_last_used_flush_failures')).toBe(0);
      expect(sample(text, 'taskgate_process_resident_memory_bytes')).toBeGreaterThan(0);
    });
  },
  { TASKGATE_METRICS_TOKEN: METRICS_TOKEN },
);

it('has no /metrics route unless TASKGATE_METRICS_TOKEN is set', async () => {
  const t = await startTestApp('sqlite');
  try {
    // The web UI's fallback may answer the path; no metrics do.
    const res = await t.request('GET', '/metrics', { token: METRICS_TOKEN });
    expect(res.text).not.toContain('taskgate_');
    expect(res.headers.get('content-type')).not.toContain('text/plain');
  } finally {
    await t.close();
  }
});
