/**
 * How long the taskgate CLI takes, start to exit, as a person or a CI job runs it
 * (node --import tsx bench/cli-startup.ts).
 *
 * Starts a server process on a fresh SQLite file, seeds a workspace with 50 tasks and a personal
 * token, then runs `taskgate --help` and `taskgate tasks list --json` (TASKGATE_WORKSPACE set: one
 * request) as their own processes, interleaved, after one unmeasured warm-up each; `node -e 0` is
 * measured alongside as the floor any Node program pays. Prints the median and p90 wall time of each.
 * The CLI is the compiled one (packages/cli/dist): run `npm run build --workspace @taskgate/cli` first.
 *
 * Environment: BENCH_RUNS (per command, default 20).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const TASKS = 50;
const TARGET_MS = 300;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts the server as `npm start` does, and waits until /healthz answers. */
async function startServer(dataDir: string) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: path.join(dataDir, 'bench.sqlite'),
      TASKGATE_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      TASKGATE_PASSWORD_HASH_COST: '1024',
    },
  });
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, stop: () => child.kill('SIGTERM') };
    } catch {
      if (tries > 300) throw new Error('the server did not start');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function must(url: string, method: string, route: string, token?: string, body?: unknown): Promise<Record<string, any>> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url + route, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as Record<string, any>;
  if (res.status >= 300) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** A user with a workspace, a project of TASKS tasks and a personal token. */
async function seed(url: string): Promise<{ token: string; workspaceId: string }> {
  const email = `bench-${Date.now()}@example.test`;
  await must(url, 'POST', '/api/v1/auth/register', undefined, { email, password: 'bench-password', name: 'Bench' });
  const { sessionToken } = await must(url, 'POST', '/api/v1/auth/login', undefined, { email, password: 'bench-password' });
  const workspace = await must(url, 'POST', '/api/v1/workspaces', sessionToken, { name: 'Bench' });
  const space = await must(url, 'POST', `/api/v1/workspaces/${workspace.id}/spaces`, sessionToken, { name: 'Bench space' });
  const project = await must(url, 'POST', '/api/v1/projects', sessionToken, { spaceId: space.id, name: 'Bench project' });
  for (let i = 0; i < TASKS; i++)
    await must(url, 'POST', '/api/v1/tasks', sessionToken, { projectId: project.id, title: `Bench task ${i}` });
  const { token } = await must(url, 'POST', '/api/v1/tokens', sessionToken, { name: 'bench' });
  return { token, workspaceId: workspace.id };
}

interface Case {
  name: string;
  args: string[];
  /** Checks a run did what it should (a fast failure is no figure). */
  check: (stdout: string) => boolean;
}

function runOnce(args: string[], env: NodeJS.ProcessEnv): { ms: number; stdout: string } {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, env, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return { ms, stdout: result.stdout };
}

function median(sorted: number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'packages/cli/dist/main.js')))
    throw new Error('Build the CLI first: npm run build --workspace @taskgate/cli');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-bench-cli-'));
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-bench-cli-home-'));
  const server = await startServer(dataDir);
  try {
    const { token, workspaceId } = await seed(server.url);
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      NO_COLOR: '1',
      TASKGATE_URL: server.url,
      TASKGATE_TOKEN: token,
      TASKGATE_WORKSPACE: workspaceId,
    };
    const cases: Case[] = [
      { name: 'node -e 0 (the floor)', args: ['-e', '0'], check: () => true },
      { name: 'taskgate --help', args: ['bin/taskgate.js', '--help'], check: (out) => out.startsWith('Usage: taskgate') },
      {
        name: 'taskgate tasks list --json',
        args: ['bin/taskgate.js', 'tasks', 'list', '--json'],
        check: (out) => (JSON.parse(out) as unknown[]).length === TASKS,
      },
    ];
    const times = new Map<Case, number[]>(cases.map((c) => [c, []]));
    for (const c of cases) runOnce(c.args, env); // warm-up: the file cache, not what is measured
    for (let round = 0; round < RUNS; round++) {
      for (const c of cases) {
        const { ms, stdout } = runOnce(c.args, env);
        if (!c.check(stdout)) throw new Error(`${c.name}: unexpected output\n${stdout.slice(0, 500)}`);
        times.get(c)!.push(ms);
      }
    }
    console.log(
      `taskgate CLI wall time, ${RUNS} runs each (node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}), ` +
        `target under ${TARGET_MS} ms\n`,
    );
    console.log(`${'command'.padEnd(30)} ${'median'.padStart(8)} ${'p90'.padStart(8)}`);
    for (const c of cases) {
      const sorted = [...times.get(c)!].sort((a, b) => a - b);
      console.log(
        `${c.name.padEnd(30)} ${`${median(sorted).toFixed(0)} ms`.padStart(8)} ${`${percentile(sorted, 0.9).toFixed(0)} ms`.padStart(8)}`,
      );
    }
    console.log('\nReproduce: npm run build --workspace @taskgate/cli && node --import tsx bench/cli-startup.ts (BENCH_RUNS=20)');
  } finally {
    server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
  }
}

await main();
