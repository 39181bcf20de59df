/**
 * Authentication throughput against a real server process (npm run bench:auth), on SQLite and then on
 * PostgreSQL (BENCH_DIALECTS=sqlite,postgres; PostgreSQL at TEST_DATABASE_URL or 127.0.0.1:5432/test).
 *
 * Measures, in one run per dialect: a bare health route, a forged-token 401, a valid-token GET
 * /api/v1/me, a valid-token task read and the same read with a session, a page of 30 tasks (each with a
 * user and an agent assigned and two labels), the task read on a second server with /metrics on (what
 * metrics cost); then a static route with and without a
 * token, which isolates what authentication itself costs; and the framework floor (bench/floor-server.ts),
 * a do-nothing Fastify server answering the same bare route and token read, which shows what ratio is
 * reachable on this machine at all. Scenarios are interleaved over several rounds; req/s is the median
 * over rounds, and each ratio the median of the ratios taken within each round, so a neighbour's CPU
 * burst or a drift of the machine's speed skews the scenarios compared alike.
 *
 * Environment: BENCH_SECONDS (per scenario and round, default 3), BENCH_ROUNDS (default 7),
 * BENCH_CONNECTIONS (default 10).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CONNECTIONS,
  dropSchema,
  forge,
  load,
  measure,
  median,
  PAGE_SIZE,
  type Dialect,
  type Scenario,
  seed,
  type Server,
  startProcess,
  startServer,
} from './lib/server-bench.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

const METRICS_TOKEN = 'bench-metrics-token';

async function benchDialect(dialect: Dialect): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-bench-'));
  const schema = `bench_${Date.now()}`;
  const server = await startServer(dialect, dataDir, schema);
  let floor: Server | undefined;
  let metered: Server | undefined;
  try {
    const { session, token, read, page, body } = await seed(server.url);
    floor = await startProcess('bench/floor-server.ts', { FLOOR_TOKEN: token, FLOOR_TASK_JSON: JSON.stringify(body) });
    // The same database behind a second process with /metrics on: the task read there costs what metrics add.
    metered = await startServer(dialect, dataDir, schema, { TASKGATE_METRICS_TOKEN: METRICS_TOKEN });
    const scenarios: Scenario[] = [
      { name: 'bare GET /healthz', path: '/healthz', expectStatus: 200 },
      { name: 'forged token → 401', path: '/api/v1/me', token: forge(token), expectStatus: 401 },
      { name: 'token GET /api/v1/me', path: '/api/v1/me', token, expectStatus: 200 },
      { name: 'token GET /api/v1/tasks/{id}', path: read, token, expectStatus: 200 },
      { name: 'session GET /api/v1/tasks/{id}', path: read, token: session, expectStatus: 200 },
      { name: `token GET /api/v1/tasks (page of ${PAGE_SIZE})`, path: page, token, expectStatus: 200 },
      { name: 'metrics on: token task read', metered: true, path: read, token, expectStatus: 200 },
      // The same static route with and without a token: what authentication alone costs.
      { name: 'anonymous GET /api/v1/permissions', path: '/api/v1/permissions', expectStatus: 200 },
      { name: 'token GET /api/v1/permissions', path: '/api/v1/permissions', token, expectStatus: 200 },
      // What a do-nothing Fastify server reaches for the same two requests: the ceiling on this machine.
      { name: 'floor: bare GET /healthz', floor: true, path: '/healthz', expectStatus: 200 },
      { name: 'floor: token task read', floor: true, path: read.replace('/api/v1', ''), token, expectStatus: 200 },
    ];
    console.log(
      `\nTaskgate auth bench: ${ROUNDS} rounds × ${scenarios.length} scenarios × ${SECONDS}s, ${CONNECTIONS} connections, ` +
        `${dialect}, ${os.cpus().length} CPUs, load ${load()}`,
    );
    const run = (scenario: Scenario, seconds: number) => {
      const target = scenario.floor ? floor! : scenario.metered ? metered! : server;
      return measure(target.url, target.pid, scenario, seconds);
    };
    for (const scenario of scenarios) await run(scenario, 1); // warm-up: JIT, caches
    const samples = scenarios.map(() => [] as number[]);
    const cpu = scenarios.map(() => [] as number[]);
    for (let round = 1; round <= ROUNDS; round++) {
      // Every other round runs backwards, so no scenario always follows the same neighbour.
      const order = [...scenarios.entries()];
      if (round % 2 === 0) order.reverse();
      for (const [i, scenario] of order) {
        const sample = await run(scenario, SECONDS);
        samples[i]?.push(sample.rps);
        if (sample.cpuPerRequest !== null) cpu[i]?.push(sample.cpuPerRequest);
      }
      console.log(`  round ${round}: ${samples.map((s) => Math.round(s.at(-1) ?? 0)).join(' / ')} req/s`);
    }
    const rps = samples.map(median);
    // Each ratio is taken within a round and the median of those is reported: scenarios of one round run
    // seconds apart, so a drift of the machine's speed over the run (it is noisy) cancels out of them.
    const ratioTo = (i: number, base: number) => median(samples[i]!.map((value, round) => value / (samples[base]?.[round] ?? 1)));
    const floorBase = scenarios.findIndex((s) => s.floor);
    const cpuOf = (i: number) => (cpu[i]!.length > 0 ? `${median(cpu[i]!).toFixed(1).padStart(6)} µs` : '     —');
    console.log('\nscenario                              req/s   vs bare   server CPU/request (medians; ratios per round)');
    for (const [i, scenario] of scenarios.entries()) {
      // Floor scenarios are compared with the floor's own bare route.
      const ratio = ratioTo(i, scenario.floor ? floorBase : 0);
      console.log(
        `${scenario.name.padEnd(36)} ${String(Math.round(rps[i] ?? 0)).padStart(7)}   ` +
          `${(ratio * 100).toFixed(0).padStart(5)}%   ${cpuOf(i)}`,
      );
    }
    const at = (name: string) => scenarios.findIndex((s) => s.name === name);
    const forged = at('forged token → 401');
    const tokenMe = at('token GET /api/v1/me');
    const tokenRead = at('token GET /api/v1/tasks/{id}');
    const sessionRead = at('session GET /api/v1/tasks/{id}');
    const tokenPage = at(`token GET /api/v1/tasks (page of ${PAGE_SIZE})`);
    const meteredRead = at('metrics on: token task read');
    const anonymousStatic = at('anonymous GET /api/v1/permissions');
    const tokenStatic = at('token GET /api/v1/permissions');
    const floorRead = at('floor: token task read');
    // The bare route against the do-nothing server's, per round: what Taskgate's per-request plumbing costs.
    const bareVsFloor = median(samples[0]!.map((value, round) => value / (samples[floorBase]?.[round] ?? 1)));
    const metricsCost = 1 - ratioTo(meteredRead, tokenRead);
    const percent = (ratio: number) => `${(ratio * 100).toFixed(0)}%`;
    // Token and session reads run next to each other in every round, in both orders.
    const perRound = samples[tokenRead]!.map((value, round) => value / (samples[sessionRead]?.[round] ?? 1));
    const sqlite = dialect === 'sqlite';
    const targets: Array<[string, boolean]> = [
      [`bare route ≥ 90% of the framework floor's bare route: ${percent(bareVsFloor)}`, bareVsFloor >= 0.9],
      [`forged-token rejection ≥ 85% of bare: ${percent(ratioTo(forged, 0))}`, ratioTo(forged, 0) >= 0.85],
      [`valid-token /me ≥ 60% of bare: ${percent(ratioTo(tokenMe, 0))}`, ratioTo(tokenMe, 0) >= 0.6],
      [
        `valid-token task read ≥ ${sqlite ? 70 : 30}% of bare: ${percent(ratioTo(tokenRead, 0))}`,
        ratioTo(tokenRead, 0) >= (sqlite ? 0.7 : 0.3),
      ],
      [
        `page of ${PAGE_SIZE} tasks ≥ ${sqlite ? 25 : 10}% of bare: ${percent(ratioTo(tokenPage, 0))}`,
        ratioTo(tokenPage, 0) >= (sqlite ? 0.25 : 0.1),
      ],
      [`metrics cost on the token task read ≤ 3%: ${percent(metricsCost)}`, metricsCost <= 0.03],
      [
        `token read ≥ session read: ${percent(ratioTo(tokenRead, sessionRead))} of session ` +
          `(rounds: ${perRound.map((r) => (r * 100).toFixed(0)).join(', ')})`,
        ratioTo(tokenRead, sessionRead) >= 1,
      ],
    ];
    console.log(`\nauthentication alone (token vs anonymous on a static route): ${percent(ratioTo(tokenStatic, anonymousStatic))}`);
    if (cpu[tokenRead]!.length > 0 && cpu[sessionRead]!.length > 0) {
      const cost = median(cpu[tokenRead]!.map((value, round) => value / (cpu[sessionRead]?.[round] ?? 1)));
      console.log(`server CPU of a token read vs a session read: ${percent(cost)} (below 100%: the token read costs less)`);
    }
    console.log(`framework floor (token task read vs bare, on the do-nothing server): ${percent(ratioTo(floorRead, floorBase))}`);
    console.log(`\ntargets (load after the run: ${load()})`);
    for (const [label, met] of targets) console.log(`  ${met ? 'MET ' : 'MISS'} ${label}`);
  } finally {
    await Promise.all([floor?.stop(), metered?.stop(), server.stop()]);
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (dialect === 'postgres') await dropSchema(schema);
  }
}

for (const dialect of (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',') as Dialect[]) await benchDialect(dialect);
