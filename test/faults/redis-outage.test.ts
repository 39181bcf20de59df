import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { remote, type Requester } from '../tokens/remote.js';
import { canRunPrivateRedis, PrivateRedis } from './private-redis.js';
import { faultTenant, waitFor } from './tenant.js';

const LIMIT = 20;
const FALLBACK_LOG = 'Redis does not answer';
const RETURN_LOG = 'Redis answers again';

async function rateLimits(api: Requester): Promise<string> {
  const res = await api.request('GET', '/readyz');
  expect(res.status).toBe(200);
  return res.body.rateLimits;
}

/** Sends `count` requests one after the other; how many were admitted, and the slowest answer. */
async function spend(api: Requester, token: string, count: number): Promise<{ admitted: number; refused: number; slowestMs: number }> {
  let admitted = 0;
  let refused = 0;
  let slowestMs = 0;
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const res = await api.request('GET', '/api/v1/me', { token });
    slowestMs = Math.max(slowestMs, performance.now() - started);
    if (res.status === 200) admitted++;
    else if (res.status === 429) refused++;
    else throw new Error(`unexpected ${res.status}: ${res.text}`);
  }
  return { admitted, refused, slowestMs };
}

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe.skipIf(!canRunPrivateRedis)('rate limits when Redis goes away (its own redis-server)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-fault-'));
  let redis: PrivateRedis;
  let server: ServerProcess;
  let api: Requester;

  beforeAll(async () => {
    redis = await PrivateRedis.create();
    server = await startServerProcess({
      DATABASE_URL: path.join(dataDir, 'taskgate.sqlite'),
      TASKGATE_DATA_DIR: dataDir,
      REDIS_URL: redis.url,
      LOG_LEVEL: 'info',
      // Above the default (50ms): this machine runs several suites at once, and a busy event loop must
      // not pass for a frozen Redis in the middle of a count.
      TASKGATE_REDIS_TIMEOUT: '250ms',
    });
    api = remote(server.url);
  }, 60_000);

  afterAll(async () => {
    await server?.stop('SIGKILL');
    await redis?.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('counts in memory at once while Redis is frozen (SIGSTOP), says so in /readyz, grants no second budget when it thaws', async () => {
    const { token } = await faultTenant(api, { rateLimitPerMinute: LIMIT });
    await waitFor('rate limits in Redis', async () => (await rateLimits(api)) === 'redis');
    const logged = { fallback: occurrences(server.output(), FALLBACK_LOG), back: occurrences(server.output(), RETURN_LOG) };
    const before = await spend(api, token, 5);

    redis.freeze();
    let during: Awaited<ReturnType<typeof spend>>;
    try {
      // Without bounded Redis calls, the first of these would wait for as long as Redis is frozen.
      during = await spend(api, token, LIMIT);
      expect(await rateLimits(api)).toBe('memory-fallback');
    } finally {
      redis.thaw();
    }
    const thawedAt = performance.now();
    await waitFor('rate limits back in Redis', async () => (await rateLimits(api)) === 'redis');
    const backIn = performance.now() - thawedAt;
    const after = await spend(api, token, 5);

    const admitted = before.admitted + during.admitted + after.admitted;
    expect(before.admitted).toBe(5);
    // Memory counted on from what Redis had said (5), not from zero; Redis, once back, carries what memory admitted.
    expect(during.admitted).toBe(LIMIT - 5);
    expect(after.admitted).toBe(0);
    expect(admitted).toBeLessThanOrEqual(LIMIT);
    expect(occurrences(server.output(), FALLBACK_LOG) - logged.fallback).toBe(1);
    expect(occurrences(server.output(), RETURN_LOG) - logged.back).toBe(1);
    console.log(
      `[fault redis SIGSTOP] limit ${LIMIT}/min: ` +
        `admitted ${before.admitted} before, ${during.admitted} frozen, ${after.admitted} after the thaw = ${admitted}; ` +
        `slowest request while frozen ${during.slowestMs.toFixed(0)} ms; back on Redis ${backIn.toFixed(0)} ms after SIGCONT`,
    );
  });

  it('answers at once while Redis is down, and carries what memory admitted into the new Redis when it restarts', async () => {
    const { token } = await faultTenant(api, { rateLimitPerMinute: LIMIT });
    await waitFor('rate limits in Redis', async () => (await rateLimits(api)) === 'redis');
    const before = await spend(api, token, 5);

    await redis.stop();
    const during = await spend(api, token, 10);
    expect(await rateLimits(api)).toBe('memory-fallback');

    await redis.start();
    const startedAt = performance.now();
    await waitFor('rate limits back in Redis', async () => (await rateLimits(api)) === 'redis');
    const backIn = performance.now() - startedAt;
    // The restarted Redis is empty: only the carried-over count keeps the window's budget.
    const after = await spend(api, token, LIMIT);

    const admitted = before.admitted + during.admitted + after.admitted;
    expect(during.admitted).toBe(10);
    expect(after.admitted).toBe(LIMIT - 15);
    expect(admitted).toBe(LIMIT);
    console.log(
      `[fault redis down] limit ${LIMIT}/min: ` +
        `admitted ${before.admitted} + ${during.admitted} (down) + ${after.admitted} (restarted) = ${admitted}; ` +
        `slowest request while down ${during.slowestMs.toFixed(0)} ms; back on Redis ${backIn.toFixed(0)} ms after the restart`,
    );
  });
});
