/**
 * Per-request overhead (npm run bench:overhead): Taskgate's bare GET /healthz against the do-nothing
 * Fastify floor's (bench/floor-server.ts), interleaved over rounds, on SQLite. Prints the median of the
 * per-round ratios of requests per second and of server CPU per request (CPU is the steadier of the two
 * on a shared machine: it does not depend on how much of the machine the load generator gets).
 * Issue 19's target: the bare route at ≥ 90 % of the floor's.
 *
 * Environment: BENCH_SECONDS (default 3), BENCH_ROUNDS (default 7), BENCH_WARMUP (seconds, default 5),
 * BENCH_CONNECTIONS (default 10), LOG_LEVEL for Taskgate (default warn, as bench:auth; info adds the two
 * request log lines).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONNECTIONS, load, measure, median, type Server, startProcess, startServer } from './lib/server-bench.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-overhead-'));
const servers: Server[] = [];
try {
  const taskgate = await startServer('sqlite', dataDir, '', process.env.LOG_LEVEL ? { LOG_LEVEL: process.env.LOG_LEVEL } : {});
  servers.push(taskgate);
  const floor = await startProcess('bench/floor-server.ts', {});
  servers.push(floor);
  const bare = { name: 'bare GET /healthz', path: '/healthz', expectStatus: 200 };
  console.log(
    `\nPer-request overhead: ${ROUNDS} rounds × ${SECONDS}s, ${CONNECTIONS} connections, ${os.cpus().length} CPUs, load ${load()}`,
  );
  // Warm-up: JIT, and the start-up work a fresh server does in its first seconds (jobs, lazy imports).
  await measure(taskgate.url, taskgate.pid, bare, WARMUP);
  await measure(floor.url, floor.pid, bare, WARMUP);
  const rps: number[] = [];
  const cpu: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const order = round % 2 ? [taskgate, floor] : [floor, taskgate];
    const [first, second] = [
      await measure(order[0]!.url, order[0]!.pid, bare, SECONDS),
      await measure(order[1]!.url, order[1]!.pid, bare, SECONDS),
    ];
    const [ours, theirs] = round % 2 ? [first, second] : [second, first];
    rps.push(ours.rps / theirs.rps);
    if (ours.cpuPerRequest !== null && theirs.cpuPerRequest !== null) cpu.push(theirs.cpuPerRequest / ours.cpuPerRequest);
    console.log(
      `  round ${round}: Taskgate ${Math.round(ours.rps)} req/s, ${ours.cpuPerRequest?.toFixed(1)} µs; ` +
        `floor ${Math.round(theirs.rps)} req/s, ${theirs.cpuPerRequest?.toFixed(1)} µs (load ${load()})`,
    );
  }
  const pct = (values: number[]) => `${(median(values) * 100).toFixed(0)}% (rounds ${values.map((v) => (v * 100).toFixed(0)).join(', ')})`;
  console.log(`\nbare route vs floor, req/s: ${pct(rps)}`);
  console.log(`bare route vs floor, CPU per request (floor's / Taskgate's): ${pct(cpu)}`);
  console.log(`  ${median(rps) >= 0.9 ? 'MET ' : 'MISS'} bare route ≥ 90% of the framework floor's bare route (req/s)`);
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  fs.rmSync(dataDir, { recursive: true, force: true });
}
