/**
 * What the security headers cost the bare route, against real server processes (npm run bench:headers).
 *
 * Measures GET /healthz, in one run, on: a bare Fastify server (bench/headers-server.ts) without
 * headers and with the security-header hook (src/http/security-headers.ts), which says what setting
 * the headers costs a route by itself; Taskgate itself; and, when BENCH_BASELINE names another
 * Taskgate source tree, Taskgate as that tree builds it: the A/B of a change to the path every
 * answer takes. Make a baseline from a commit without changing the checkout, e.g.
 *
 *   mkdir /tmp/taskgate-base && git archive HEAD src | tar -x -C /tmp/taskgate-base
 *   cp package.json /tmp/taskgate-base/ && ln -s "$PWD/node_modules" /tmp/taskgate-base/node_modules
 *
 * (the linked node_modules must hold what the baseline imports). Servers are interleaved over several
 * rounds, every other round backwards; req/s is the median over rounds and each ratio the median of
 * the ratios taken within each round, so a neighbour's CPU burst or a drift of the machine's speed
 * skews the servers compared alike. Server CPU per request is reported too: it depends less than
 * req/s on how much of the machine the client and the neighbours take.
 *
 * Environment: BENCH_BASELINE (a directory), BENCH_SECONDS (per server and round, default 3),
 * BENCH_ROUNDS (default 7), BENCH_CONNECTIONS (default 10).
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
const BASELINE = process.env.BENCH_BASELINE ? path.resolve(process.env.BENCH_BASELINE) : null;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const NO_LIMIT = '1000000000';

interface Server {
  name: string;
  url: string;
  pid: number | undefined;
  stop(): void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts a server script (relative to `cwd`) and waits until /healthz answers. */
async function startProcess(name: string, cwd: string, script: string, env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', ...env },
  });
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { name, url, pid: child.pid, stop: () => child.kill('SIGTERM') };
    } catch {
      if (tries > 300 || child.exitCode !== null) throw new Error(`${name} (${path.join(cwd, script)}) did not start`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const dataDirs: string[] = [];
function startTaskgate(name: string, tree: string): Promise<Server> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-bench-'));
  dataDirs.push(dataDir);
  return startProcess(name, tree, 'src/server.ts', {
    DATABASE_URL: path.join(dataDir, 'bench.sqlite'),
    TASKGATE_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    TASKGATE_ANONYMOUS_RATE_LIMIT: NO_LIMIT,
  });
}

interface Sample {
  rps: number;
  cpuPerRequest: number | null;
}

async function measure(server: Server, seconds: number): Promise<Sample> {
  const cpuBefore = cpuMicros(server.pid);
  const result = await autocannon({ url: `${server.url}/healthz`, connections: CONNECTIONS, duration: seconds });
  const total = result.requests.total;
  const ok = result.statusCodeStats?.['200']?.count ?? 0;
  if (result.errors > 0 || ok < total * 0.999) {
    throw new Error(
      `${server.name}: expected 200 for every request, got ${JSON.stringify(result.statusCodeStats)} (${result.errors} errors)`,
    );
  }
  const cpuAfter = cpuMicros(server.pid);
  return { rps: result.requests.average, cpuPerRequest: cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / total };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const servers: Server[] = [];
try {
  servers.push(await startProcess('bare Fastify', ROOT, 'bench/headers-server.ts', { HEADERS: 'none' }));
  servers.push(await startProcess('bare Fastify + header hook', ROOT, 'bench/headers-server.ts', { HEADERS: 'hook' }));
  servers.push(await startTaskgate('Taskgate', ROOT));
  if (BASELINE) servers.push(await startTaskgate('Taskgate baseline', BASELINE));
  // Like for like: every server but the bare one sends the headers.
  for (const server of servers) {
    const frameOptions = (await fetch(`${server.url}/healthz`)).headers.get('x-frame-options');
    if ((frameOptions === 'DENY') !== (server.name !== 'bare Fastify'))
      throw new Error(`${server.name}: x-frame-options is ${frameOptions}`);
  }
  console.log(
    `Security headers bench: GET /healthz, ${ROUNDS} rounds × ${servers.length} servers × ${SECONDS}s, ${CONNECTIONS} connections, ` +
      `${os.cpus().length} CPUs, load ${os.loadavg()[0]?.toFixed(1)}`,
  );
  if (BASELINE) console.log(`baseline: ${BASELINE}`);
  for (const server of servers) await measure(server, 1); // warm-up: JIT, caches
  const samples = servers.map(() => [] as number[]);
  const cpu = servers.map(() => [] as number[]);
  for (let round = 1; round <= ROUNDS; round++) {
    // Every other round runs backwards, so no server always follows the same neighbour.
    const order = [...servers.entries()];
    if (round % 2 === 0) order.reverse();
    for (const [i, server] of order) {
      const sample = await measure(server, SECONDS);
      samples[i]!.push(sample.rps);
      if (sample.cpuPerRequest !== null) cpu[i]!.push(sample.cpuPerRequest);
    }
    console.log(`  round ${round}: ${samples.map((s) => Math.round(s.at(-1) ?? 0)).join(' / ')} req/s`);
  }
  const ratio = (i: number, base: number) => median(samples[i]!.map((value, round) => value / samples[base]![round]!));
  const percent = (value: number) => `${(value * 100).toFixed(0)}%`;
  const cpuOf = (i: number) => (cpu[i]!.length > 0 ? `${median(cpu[i]!).toFixed(1).padStart(6)} µs` : '     —');
  console.log('\nserver                          req/s   vs bare   server CPU/request (medians; ratios per round)');
  for (const [i, server] of servers.entries()) {
    const rps = String(Math.round(median(samples[i]!))).padStart(8);
    console.log(`${server.name.padEnd(28)} ${rps}   ${percent(ratio(i, 0)).padStart(6)}   ${cpuOf(i)}`);
  }
  console.log(`\nthe header hook keeps ${percent(ratio(1, 0))} of a bare route's throughput`);
  if (BASELINE) {
    const perRound = samples[2]!.map((value, round) => percent(value / samples[3]![round]!)).join(', ');
    console.log(`Taskgate vs baseline: ${percent(ratio(2, 3))} (rounds: ${perRound})`);
    if (cpu[2]!.length > 0 && cpu[3]!.length > 0) {
      const cpuRatio = median(cpu[2]!.map((value, round) => value / cpu[3]![round]!));
      console.log(`server CPU per request, Taskgate vs baseline: ${percent(cpuRatio)} (below 100%: Taskgate costs less)`);
    }
  }
} finally {
  for (const server of servers) server.stop();
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
}
