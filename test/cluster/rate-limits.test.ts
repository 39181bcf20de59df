import { describe, expect, inject, it } from 'vitest';
import { cleanupsAfterEach } from '../helpers/cleanups.js';
import { enabledDialects } from '../helpers/harness.js';
import { startServerProcess } from '../helpers/server-process.js';
import { waitForValue } from '../helpers/wait.js';
import { createToken } from '../tokens/helpers.js';
import { remote, remoteOwner } from '../tokens/remote.js';
import { answeredBy, onNewConnection, REDIS_URL, serversPerSuite, sharedStorage, type Remote } from './servers.js';

const LIMIT = 100;
/** Well past the limit, and quick enough to stay inside the token's one-minute window. */
const SENT = 130;
const AT_ONCE = 10;

const cleanups = cleanupsAfterEach('taskgate-cluster-rl-');

/** Sends `SENT` requests, `AT_ONCE` at a time, each through `send(i)`; returns the statuses in order. */
async function burst(send: (i: number) => Promise<number>): Promise<number[]> {
  const statuses: number[] = [];
  for (let start = 0; start < SENT; start += AT_ONCE) {
    const batch = Array.from({ length: Math.min(AT_ONCE, SENT - start) }, (_, j) => send(start + j));
    statuses.push(...(await Promise.all(batch)));
  }
  return statuses;
}

function expectLimitHeld(statuses: number[]): void {
  const admitted = statuses.filter((s) => s === 200).length;
  expect(admitted, `admitted ${admitted} of ${statuses.length}`).toBeGreaterThanOrEqual(LIMIT - 2);
  expect(admitted, `admitted ${admitted} of ${statuses.length}`).toBeLessThanOrEqual(LIMIT + 2);
  expect(
    statuses.filter((s) => s !== 200 && s !== 429),
    'answers other than 200 and 429',
  ).toEqual([]);
}

for (const dialect of enabledDialects()) {
  describe.skipIf(!inject('redisAvailable'))(`two server processes sharing Redis [${dialect}]`, () => {
    // A Redis slow to answer on a busy machine must not pass for one gone (each process would count alone).
    const servers = serversPerSuite(dialect, 2, { REDIS_URL, TASKGATE_REDIS_TIMEOUT: '2s' });

    it(`admit ${LIMIT} (± 2) requests a minute of a token limited to ${LIMIT}, counted across both`, async () => {
      const [first, second] = servers() as [Remote, Remote];
      const { session } = await remoteOwner(first);
      const { token } = await createToken(first, { token: session }, { rateLimitPerMinute: LIMIT });
      const perServer = new Map<Remote, number[]>([
        [first, []],
        [second, []],
      ]);
      const statuses = await burst(async (i) => {
        const to = i % 2 === 0 ? first : second;
        const { status } = await to.request('GET', '/api/v1/me', { token });
        perServer.get(to)?.push(status);
        return status;
      });
      expectLimitHeld(statuses);
      // Each process admitted its share: neither could have let the whole budget through alone.
      for (const [, seen] of perServer) expect(seen.filter((s) => s === 200).length).toBeGreaterThan(LIMIT / 4);
    }, 120_000);
  });

  describe(`TASKGATE_WORKERS=2 without Redis [${dialect}]`, () => {
    it(`admits ${LIMIT} (± 2) requests a minute of a token limited to ${LIMIT}, counted by the primary for both workers`, async () => {
      const storage = sharedStorage(dialect);
      cleanups.push(() => storage.remove());
      // Request logs name the worker (pid) that answered each request id.
      const server = await startServerProcess({ ...storage.env, TASKGATE_WORKERS: '2', LOG_LEVEL: 'info' }, 60_000);
      cleanups.push(async () => void (await server.stop('SIGKILL')));
      await waitForValue(
        'both workers listening',
        () => server.output(),
        (out) => out.includes('running 2 worker processes'),
        { timeoutMs: 60_000, intervalMs: 100 },
      );
      const api = remote(server.url);
      const { session } = await remoteOwner(api);
      const { token } = await createToken(api, { token: session }, { rateLimitPerMinute: LIMIT });

      const statuses = await burst(async (i) => {
        const headers = { authorization: `Bearer ${token}`, 'x-request-id': `rl-${i}` };
        return (await onNewConnection(server.url, 'GET', '/api/v1/me', headers)).status;
      });
      expectLimitHeld(statuses);

      // Both workers answered a fair share: the budget held across processes, not inside one.
      const pids = await waitForValue(
        'a log line for every request',
        () => answeredBy(server.output()),
        (seen) => Array.from({ length: SENT }, (_, i) => `rl-${i}`).every((id) => seen.has(id)),
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      const perWorker = new Map<number, number>();
      for (let i = 0; i < SENT; i++) {
        const pid = pids.get(`rl-${i}`) ?? 0;
        perWorker.set(pid, (perWorker.get(pid) ?? 0) + 1);
      }
      expect(perWorker.size, JSON.stringify([...perWorker])).toBe(2);
      for (const [, answered] of perWorker) expect(answered).toBeGreaterThan(SENT / 5);
    }, 180_000);
  });
}
