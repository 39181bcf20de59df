/**
 * A/B of every hot-path trick in src/lib/hot-path.ts (npm run bench:ab), on SQLite: one Taskgate process
 * with every trick on (A), one with every trick on too (A', the control: what a difference of nothing
 * looks like), and one per trick with that trick off (bench/ab-server.ts), all on one database.
 *
 * Each round measures, for every trick, its scenarios on A and on its B back to back (the order flips
 * every round), and takes the ratio A/B of requests per second and B/A of server CPU per request in that
 * round. Reported: the median of those per-round ratios, and the noise, which is the spread of the same
 * ratio between A and A' (identical processes) over the same rounds: the largest |A/A' - 1| of any round.
 * A trick pays when its median gain is above that noise on the same scenario in both measures. Last, in
 * this process, what building one AppError costs with and without a stack (errorsWithoutStack), set against
 * the server CPU of a 404: a difference the HTTP A/B cannot resolve on a busy machine.
 *
 * Environment: BENCH_SECONDS (per scenario, side and round, default 2), BENCH_ROUNDS (default 5),
 * AB_TRICKS (comma-separated settings to test, default all), BENCH_CONNECTIONS (default 10).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../src/errors/app-error.js';
import { type HotPathSettings, hotPath, setHotPath } from '../src/lib/hot-path.js';
import { CONNECTIONS, forge, load, measure, median, type Scenario, type Server, seed, startServer } from './lib/server-bench.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
type Trick = keyof HotPathSettings;
const TRICKS = (process.env.AB_TRICKS?.split(',') ?? Object.keys(hotPath)) as Trick[];

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-ab-'));
const start = (off: string) => startServer('sqlite', dataDir, '', { HOT_PATH_OFF: off }, 'bench/ab-server.ts');
const servers: Server[] = [];
try {
  const a = await start('');
  servers.push(a);
  const { token, read } = await seed(a.url);
  const missing = `${read.slice(0, -4)}zzzz`;
  const scenario = {
    forged: { name: 'forged token → 401', path: '/api/v1/me', token: forge(token), expectStatus: 401 },
    me: { name: 'token GET /api/v1/me', path: '/api/v1/me', token, expectStatus: 200 },
    read: { name: 'token GET /api/v1/tasks/{id}', path: read, token, expectStatus: 200 },
    missing: { name: 'token GET a missing task → 404', path: missing, token, expectStatus: 404 },
  } satisfies Record<string, Scenario>;
  // Where each trick acts: the scenarios that would show its gain.
  const where: Record<Trick, Scenario[]> = {
    sqliteReadCache: [scenario.read],
    keptMeAnswer: [scenario.me],
    keptTaskView: [scenario.read],
    errorsWithoutStack: [scenario.missing, scenario.forged],
  };
  const control = { name: 'A/A control', server: await start('') };
  servers.push(control.server);
  const arms = [control];
  for (const trick of TRICKS) {
    if (!(trick in where)) throw new Error(`AB_TRICKS: no trick named ${trick}`);
    const server = await start(trick);
    servers.push(server);
    arms.push({ name: trick, server });
  }
  const allScenarios = [...new Set(Object.values(where).flat())];
  const pairs = arms.flatMap((arm) =>
    (arm.name === 'A/A control' ? allScenarios : where[arm.name as Trick]).map((s) => ({ arm, scenario: s })),
  );
  console.log(
    `\nTaskgate hot-path A/B: ${ROUNDS} rounds × ${pairs.length} pairs × 2 sides × ${SECONDS}s, ${CONNECTIONS} connections, ` +
      `SQLite, ${os.cpus().length} CPUs, load ${load()}`,
  );
  for (const { arm, scenario: s } of pairs) {
    await measure(a.url, a.pid, s, 1); // warm-up: JIT, caches
    await measure(arm.server.url, arm.server.pid, s, 1);
  }
  const rps = pairs.map(() => [] as number[]);
  const cpu = pairs.map(() => [] as number[]);
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [i, { arm, scenario: s }] of pairs.entries()) {
      const sides = [a, arm.server];
      if (round % 2 === 0) sides.reverse();
      const [first, second] = [
        await measure(sides[0]!.url, sides[0]!.pid, s, SECONDS),
        await measure(sides[1]!.url, sides[1]!.pid, s, SECONDS),
      ];
      const [on, off] = round % 2 === 0 ? [second, first] : [first, second];
      rps[i]!.push(on.rps / off.rps);
      if (on.cpuPerRequest !== null && off.cpuPerRequest !== null) cpu[i]!.push(off.cpuPerRequest / on.cpuPerRequest);
    }
    console.log(`  round ${round} done (load ${load()})`);
  }
  const pct = (ratio: number) => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)}%`;
  const noise = (values: number[]) => Math.max(...values.map((v) => Math.abs(v - 1)));
  const controlOf = (s: Scenario, measureOf: number[][]) => measureOf[pairs.findIndex((p) => p.arm === control && p.scenario === s)]!;
  console.log('\ntrick (off in B)        scenario                          req/s A/B  (noise ±)   CPU/req B/A  (noise ±)  rounds (req/s)');
  for (const [i, { arm, scenario: s }] of pairs.entries()) {
    const rpsNoise = noise(controlOf(s, rps));
    const cpuNoise = cpu[i]!.length > 0 ? noise(controlOf(s, cpu)) : Number.NaN;
    const gain = median(rps[i]!);
    const cpuGain = cpu[i]!.length > 0 ? median(cpu[i]!) : Number.NaN;
    const verdict = arm === control ? '' : gain - 1 > rpsNoise && cpuGain - 1 > cpuNoise ? '  PAYS' : '  within noise';
    console.log(
      `${arm.name.padEnd(23)} ${s.name.padEnd(33)} ${pct(gain).padStart(9)}  (±${(rpsNoise * 100).toFixed(1)}%)  ` +
        `${pct(cpuGain).padStart(9)}  (±${(cpuNoise * 100).toFixed(1)}%)  ${rps[i]!.map((r) => pct(r)).join(' ')}${verdict}`,
    );
  }
  // In-process, for what an HTTP A/B on a busy machine cannot resolve: the cost of building one AppError with
  // and without a stack, interleaved, against the server CPU of the 404 that builds one per request.
  const errorCost = (withoutStack: boolean) => {
    setHotPath({ errorsWithoutStack: withoutStack });
    const started = process.hrtime.bigint();
    for (let i = 0; i < 20_000; i++) new AppError('NOT_FOUND', 'Task not found');
    return Number(process.hrtime.bigint() - started) / 20_000 / 1000;
  };
  const costs: Array<[number, number]> = [];
  for (let round = 0; round < 7; round++) costs.push([errorCost(true), errorCost(false)]);
  setHotPath({ errorsWithoutStack: true });
  const saved = median(costs.map(([on, off]) => off - on));
  console.log(
    `\nAppError, in process (7 interleaved rounds): ${median(costs.map(([on]) => on)).toFixed(2)} µs without a stack, ` +
      `${median(costs.map(([, off]) => off)).toFixed(2)} µs with one: ${saved.toFixed(2)} µs saved per error`,
  );
  await measure(a.url, a.pid, scenario.missing, SECONDS).then((sample) => {
    if (sample.cpuPerRequest === null) return;
    console.log(
      `  = ${((saved / sample.cpuPerRequest) * 100).toFixed(1)}% of the 404's server CPU (${sample.cpuPerRequest.toFixed(1)} µs)`,
    );
  });
  console.log(`\nload after the run: ${load()}`);
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  fs.rmSync(dataDir, { recursive: true, force: true });
}
