import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from '../helpers/cleanups.js';
import { collectOutput, ROOT, runNode } from '../helpers/server-process.js';

const cleanups = cleanupsAfterEach('taskgate-cluster-counts-');

/**
 * A cluster program of its own (a primary and two workers, run one after the other), written to a file
 * because cluster workers run the primary's script again. Each worker spends 8 points of one key of a
 * 10-point budget through `RateLimiter.onThisMachine()` and reports what it was allowed and what is left.
 */
const PROGRAM = `
import cluster from 'node:cluster';
const { serveClusterCounts } = await import(${JSON.stringify(path.join(ROOT, 'src/ratelimit/cluster-counts.ts'))});
const { RateLimiter } = await import(${JSON.stringify(path.join(ROOT, 'src/ratelimit/limiter.ts'))});
if (cluster.isPrimary) {
  if (process.env.SERVE === '1') serveClusterCounts();
  const results = [];
  for (let i = 0; i < 2; i++) {
    const worker = cluster.fork();
    results.push(await new Promise((resolve) => worker.on('message', (m) => m && m.result && resolve(m.result))));
    worker.kill();
  }
  console.log('RESULTS ' + JSON.stringify(results));
  process.exit(0);
} else {
  const budget = RateLimiter.onThisMachine().budget('test', { points: 10, durationSeconds: 60 });
  let allowed = 0;
  for (let i = 0; i < 8; i++) if ((await budget.consume('key')).allowed) allowed++;
  const { remaining } = await budget.peek('key');
  process.send({ result: { allowed, remaining } });
}
`;

async function run(serve: boolean): Promise<{ results: Array<{ allowed: number; remaining: number }>; out: string }> {
  const dir = cleanups.tempDir();
  const file = path.join(dir, 'counts.mjs');
  fs.writeFileSync(file, PROGRAM);
  const child = runNode([file], { SERVE: serve ? '1' : '0' });
  cleanups.push(async () => void child.kill('SIGKILL'));
  const { code, out } = await collectOutput(child);
  expect(code, out).toBe(0);
  const line = out.split('\n').find((l) => l.startsWith('RESULTS ')) ?? 'RESULTS null';
  return { results: JSON.parse(line.slice('RESULTS '.length)), out };
}

describe('rate-limit counters shared through the cluster primary', () => {
  it("count every worker's spending in one budget when the primary keeps the counters", async () => {
    const { results } = await run(true);
    expect(results).toEqual([
      { allowed: 8, remaining: 2 },
      { allowed: 2, remaining: 0 },
    ]);
  }, 120_000);

  it('count in each worker on its own under a primary that does not keep them (say, another supervisor)', async () => {
    const { results, out } = await run(false);
    expect(results).toEqual([
      { allowed: 8, remaining: 2 },
      { allowed: 8, remaining: 2 },
    ]);
    expect(out).toContain('does not share rate limits');
  }, 120_000);
});
