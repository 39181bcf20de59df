import { describe, expect, it } from 'vitest';
import { AttemptRecorder } from '../../src/webhooks/attempt-recorder.js';
import type { AttemptRecord } from '../../src/webhooks/delivery-queue.js';
import { parseRetryAfter } from '../../src/webhooks/http-sender.js';
import { judgeAttempt } from '../../src/webhooks/retry-policy.js';
import { signatureFor } from '../../src/webhooks/signing.js';

const SCHEDULE = [5000, 300_000];
const NOW = Date.parse('2030-01-01T00:00:00.000Z');

function recordFor(id: string): AttemptRecord {
  return {
    delivery: { id, webhook_id: 'whk_1' } as AttemptRecord['delivery'],
    outcome: { status: 200, durationMs: 1, responseBody: '', error: null, retryAfterMs: null, attemptedAt: new Date(NOW).toISOString() },
    verdict: { status: 'succeeded', scheduleStep: 0, nextAttemptAt: null, disableReason: null },
  };
}

describe('webhook retry policy', () => {
  it('succeeds on 2xx only, and walks the schedule with ±20 % jitter', () => {
    expect(judgeAttempt({ status: 204, retryAfterMs: null }, 0, SCHEDULE, NOW).status).toBe('succeeded');
    for (const status of [null, 301, 400, 500]) {
      const low = judgeAttempt({ status, retryAfterMs: null }, 0, SCHEDULE, NOW, () => 0);
      const high = judgeAttempt({ status, retryAfterMs: null }, 0, SCHEDULE, NOW, () => 1);
      expect(low).toMatchObject({ status: 'pending', scheduleStep: 1, nextAttemptAt: new Date(NOW + 4000).toISOString() });
      expect(high.nextAttemptAt).toBe(new Date(NOW + 6000).toISOString());
    }
    expect(judgeAttempt({ status: 500, retryAfterMs: null }, 2, SCHEDULE, NOW)).toMatchObject({
      status: 'failed',
      nextAttemptAt: null,
      disableReason: null,
    });
  });

  it('honours Retry-After on 429 and 503 only, and disables on 410', () => {
    const asked = 600_000;
    expect(judgeAttempt({ status: 429, retryAfterMs: asked }, 0, SCHEDULE, NOW, () => 0.5).nextAttemptAt).toBe(
      new Date(NOW + asked).toISOString(),
    );
    expect(judgeAttempt({ status: 503, retryAfterMs: asked }, 0, SCHEDULE, NOW, () => 0.5).nextAttemptAt).toBe(
      new Date(NOW + asked).toISOString(),
    );
    expect(judgeAttempt({ status: 500, retryAfterMs: asked }, 0, SCHEDULE, NOW, () => 0.5).nextAttemptAt).toBe(
      new Date(NOW + 5000).toISOString(),
    );
    // A shorter Retry-After never brings the retry forward.
    expect(judgeAttempt({ status: 429, retryAfterMs: 10 }, 0, SCHEDULE, NOW, () => 0.5).nextAttemptAt).toBe(
      new Date(NOW + 5000).toISOString(),
    );
    expect(judgeAttempt({ status: 410, retryAfterMs: null }, 0, SCHEDULE, NOW)).toMatchObject({
      status: 'failed',
      disableReason: expect.stringContaining('410 Gone'),
    });
  });

  it('reads Retry-After as seconds or an HTTP date, capped at a day', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(new Date(NOW + 30_000).toUTCString(), NOW)).toBe(30_000);
    expect(parseRetryAfter(new Date(NOW - 30_000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter('999999999', NOW)).toBe(86_400_000);
    expect(parseRetryAfter('soon', NOW)).toBeNull();
    expect(parseRetryAfter(undefined, NOW)).toBeNull();
  });

  it('signs "{id}.{timestamp}.{body}" with the decoded secret (the Standard Webhooks test vector)', () => {
    const signature = signatureFor(
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
    );
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });
});

describe('attempt recorder', () => {
  it('writes attempts finished together in one batch', async () => {
    const batches: string[][] = [];
    const recorder = new AttemptRecorder(async (records) => {
      batches.push(records.map((r) => r.delivery.id));
      await new Promise((r) => setTimeout(r, 10));
    });
    await Promise.all(['a', 'b', 'c', 'd'].map((id) => recorder.record(recordFor(id))));
    expect(batches).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('keeps one bad record from sinking the rest of its batch', async () => {
    const written: string[] = [];
    const recorder = new AttemptRecorder(async (records) => {
      if (records.some((r) => r.delivery.id === 'gone')) throw new Error('foreign key');
      written.push(...records.map((r) => r.delivery.id));
    });
    const results = await Promise.allSettled(['a', 'b', 'gone', 'c'].map((id) => recorder.record(recordFor(id))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(written.sort()).toEqual(['a', 'b', 'c']);
  });
});
