/**
 * Two worker processes against one (npm run bench:workers): the token task read's throughput with
 * TASKGATE_WORKERS=2 and with 1, on one SQLite database (BENCH_DIALECTS=postgres for PostgreSQL), in
 * alternate rounds. On a 2-core machine the load generator (autocannon, in this process) competes with
 * the workers for the same two cores, so the ratio understates what two workers give on a machine with
 * cores to spare; the server CPU per request says whether a worker does more work per request.
 *
 * Environment: BENCH_SECONDS (default 5), BENCH_ROUNDS (default 5), BENCH_CONNECTIONS (default 10),
 * BENCH_DIALECTS (default sqlite; the first one is used).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONNECTIONS, type Dialect, dropSchema, load, measure, median, type Server, seed, startServer } from './lib/server-bench.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const dialect = (process.env.BENCH_DIALECTS ?? 'sqlite').split(',')[0] as Dialect;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-workers-'));
const schema = `bench_workers_${Date.now()}`;
const servers: Server[] = [];
try {
  const one = await startServer(dialect, dataDir, schema, { TASKGATE_WORKERS: '1' });
  servers.push(one);
  const { token, read } = await seed(one.url);
  const two = await startServer(dialect, dataDir, schema, { TASKGATE_WORKERS: '2' });
  servers.push(two);
  const scenario = { name: 'token GET /api/v1/tasks/{id}', path: read, token, expectStatus: 200 };
  console.log(
    `\nTwo workers vs one: ${ROUNDS} rounds × ${SECONDS}s, ${CONNECTIONS} connections, ${dialect}, ` +
      `${os.cpus().length} CPUs, load ${load()}`,
  );
  console.log('  (the load generator runs on the same cores as the workers: it competes with them)');
  await measure(one.url, one.pid, scenario, 2);
  await measure(two.url, two.pid, scenario, 2);
  const ratios: number[] = [];
  const rps: [number[], number[]] = [[], []];
  for (let round = 1; round <= ROUNDS; round++) {
    const order = round % 2 ? [one, two] : [two, one];
    const results = new Map<Server, number>();
    for (const server of order) results.set(server, (await measure(server.url, server.pid, scenario, SECONDS)).rps);
    rps[0].push(results.get(one)!);
    rps[1].push(results.get(two)!);
    ratios.push(results.get(two)! / results.get(one)!);
    console.log(`  round ${round}: 1 worker ${Math.round(results.get(one)!)} req/s, 2 workers ${Math.round(results.get(two)!)} req/s`);
  }
  console.log(
    `\ntoken task read: 1 worker ${Math.round(median(rps[0]))} req/s, 2 workers ${Math.round(median(rps[1]))} req/s: ` +
      `2 vs 1 = ${(median(ratios) * 100).toFixed(0)}% (per-round ratios ${ratios.map((r) => (r * 100).toFixed(0)).join(', ')}), ` +
      `load ${load()}`,
  );
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (dialect === 'postgres') await dropSchema(schema);
}
