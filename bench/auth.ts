/**
 * Authentication throughput against a real server process (npm run bench:auth).
 *
 * Measures, in one run: a bare health route, a forged-token 401, a valid-token GET /api/v1/me, a
 * valid-token task read and the same read with a session; then a static route with and without a
 * token, which isolates what authentication itself costs; and the framework floor (bench/floor-server.ts),
 * a do-nothing Fastify server answering the same bare route and token read, which shows what ratio is
 * reachable on this machine at all. Scenarios are interleaved over several rounds; req/s is the median
 * over rounds, and each ratio the median of the ratios taken within each round, so a neighbour's CPU
 * burst or a drift of the machine's speed skews the scenarios compared alike.
 *
 * Environment: BENCH_SECONDS (per scenario and round, default 3), BENCH_ROUNDS (default 7),
 * BENCH_CONNECTIONS (default 10).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { cpuMicros } from './process-cpu.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const NO_LIMIT = '1000000000';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts a server script and waits until /healthz answers. */
async function startProcess(script: string, env: Record<string, string>) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', ...env },
  });
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, pid: child.pid, stop: () => child.kill('SIGTERM') };
    } catch {
      if (tries > 300) throw new Error(`${script} did not start`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function startServer(dataDir: string) {
  return startProcess('src/server.ts', {
    DATABASE_URL: path.join(dataDir, 'bench.sqlite'),
    TASKGATE_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    TASKGATE_PASSWORD_HASH_COST: '1024',
    // Limits far above what the run sends, so no 429 distorts the figures.
    TASKGATE_TOKEN_RATE_LIMIT: NO_LIMIT,
    TASKGATE_SESSION_RATE_LIMIT: NO_LIMIT,
    TASKGATE_ANONYMOUS_RATE_LIMIT: NO_LIMIT,
  });
}

async function call(url: string, method: string, route: string, token?: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url + route, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

async function must(url: string, method: string, route: string, token?: string, body?: unknown) {
  const res = await call(url, method, route, token, body);
  if (res.status >= 300) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A user with a pro workspace, a space, a project, a task, a personal token and a session; returns the task read. */
async function seed(url: string) {
  const email = `bench-${Date.now()}@example.test`;
  await must(url, 'POST', '/api/v1/auth/register', undefined, { email, password: 'bench-password', name: 'Bench' });
  const { sessionToken } = await must(url, 'POST', '/api/v1/auth/login', undefined, { email, password: 'bench-password' });
  const workspace = await must(url, 'POST', '/api/v1/workspaces', sessionToken, { name: 'Bench' });
  const { token } = await must(url, 'POST', '/api/v1/tokens', sessionToken, { name: 'bench' });
  const space = await must(url, 'POST', `/api/v1/workspaces/${workspace.id}/spaces`, sessionToken, { name: 'Bench space' });
  const project = await must(url, 'POST', '/api/v1/projects', sessionToken, { spaceId: space.id, name: 'Bench project' });
  const task = await must(url, 'POST', '/api/v1/tasks', sessionToken, { projectId: project.id, title: 'Bench task' });
  const read = `/api/v1/tasks/${task.id}`;
  const body = await must(url, 'GET', read, token);
  return { session: sessionToken as string, token: token as string, read, body };
}

interface Scenario {
  name: string;
  /** The framework floor (bench/floor-server.ts) rather than Taskgate. */
  floor?: boolean;
  path: string;
  token?: string;
  expectStatus: number;
}

interface Sample {
  rps: number;
  /** Server CPU per request, µs: what the request cost the server, whatever the client's share of the machine. */
  cpuPerRequest: number | null;
}

async function measure(url: string, pid: number | undefined, scenario: Scenario, seconds: number): Promise<Sample> {
  const cpuBefore = cpuMicros(pid);
  const result = await autocannon({
    url: url + scenario.path,
    connections: CONNECTIONS,
    duration: seconds,
    headers: scenario.token ? { authorization: `Bearer ${scenario.token}` } : {},
  });
  const total = result.requests.total;
  const expected = result.statusCodeStats?.[`${scenario.expectStatus}`]?.count ?? 0;
  if (result.errors > 0 || expected < total * 0.999) {
    throw new Error(
      `${scenario.name}: expected ${scenario.expectStatus} for every request, ` +
        `got ${JSON.stringify(result.statusCodeStats)} (${result.errors} errors)`,
    );
  }
  const cpuAfter = cpuMicros(pid);
  const cpuPerRequest = cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / total;
  return { rps: result.requests.average, cpuPerRequest };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function forge(token: string): string {
  return token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-bench-'));
const server = await startServer(dataDir);
let floor: Awaited<ReturnType<typeof startProcess>> | undefined;
try {
  const { session, token, read, body } = await seed(server.url);
  floor = await startProcess('bench/floor-server.ts', { FLOOR_TOKEN: token, FLOOR_TASK_JSON: JSON.stringify(body) });
  const scenarios: Scenario[] = [
    { name: 'bare GET /healthz', path: '/healthz', expectStatus: 200 },
    { name: 'forged token → 401', path: '/api/v1/me', token: forge(token), expectStatus: 401 },
    { name: 'token GET /api/v1/me', path: '/api/v1/me', token, expectStatus: 200 },
    { name: 'token GET /api/v1/tasks/{id}', path: read, token, expectStatus: 200 },
    { name: 'session GET /api/v1/tasks/{id}', path: read, token: session, expectStatus: 200 },
    // The same static route with and without a token: what authentication alone costs.
    { name: 'anonymous GET /api/v1/permissions', path: '/api/v1/permissions', expectStatus: 200 },
    { name: 'token GET /api/v1/permissions', path: '/api/v1/permissions', token, expectStatus: 200 },
    // What a do-nothing Fastify server reaches for the same two requests: the ceiling on this machine.
    { name: 'floor: bare GET /healthz', floor: true, path: '/healthz', expectStatus: 200 },
    { name: 'floor: token task read', floor: true, path: read.replace('/api/v1', ''), token, expectStatus: 200 },
  ];
  console.log(
    `Taskgate auth bench: ${ROUNDS} rounds × ${scenarios.length} scenarios × ${SECONDS}s, ${CONNECTIONS} connections, SQLite, ` +
      `${os.cpus().length} CPUs, load ${os.loadavg()[0]?.toFixed(1)}`,
  );
  const run = (scenario: Scenario, seconds: number) =>
    scenario.floor ? measure(floor!.url, floor!.pid, scenario, seconds) : measure(server.url, server.pid, scenario, seconds);
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
      `${scenario.name.padEnd(36)} ${String(Math.round(rps[i] ?? 0)).padStart(7)}   ${(ratio * 100).toFixed(0).padStart(5)}%   ${cpuOf(i)}`,
    );
  }
  const [forged, tokenMe, tokenRead, sessionRead, anonymousStatic, tokenStatic, floorRead] = [1, 2, 3, 4, 5, 6, 8];
  const percent = (ratio: number) => `${(ratio * 100).toFixed(0)}%`;
  // Token and session reads run next to each other in every round, in both orders.
  const perRound = samples[tokenRead]!.map((value, round) => value / (samples[sessionRead]?.[round] ?? 1));
  const targets: Array<[string, boolean]> = [
    [`forged-token rejection ≥ 80% of bare: ${percent(ratioTo(forged, 0))}`, ratioTo(forged, 0) >= 0.8],
    [`valid-token /me ≥ 60% of bare: ${percent(ratioTo(tokenMe, 0))}`, ratioTo(tokenMe, 0) >= 0.6],
    [`valid-token read ≥ 60% of bare: ${percent(ratioTo(tokenRead, 0))}`, ratioTo(tokenRead, 0) >= 0.6],
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
  console.log('\ntargets');
  for (const [label, met] of targets) console.log(`  ${met ? 'MET ' : 'MISS'} ${label}`);
} finally {
  floor?.stop();
  server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
