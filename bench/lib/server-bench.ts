/**
 * What the server benches share (bench/auth.ts, bench/ab.ts, bench/scale.ts): starting Taskgate and the
 * framework floor as real processes, seeding a tenant over HTTP, one autocannon measurement with the
 * server's CPU per request, medians.
 *
 * Environment: BENCH_CONNECTIONS (default 10), TEST_DATABASE_URL (PostgreSQL, default 127.0.0.1:5432/test).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { cpuMicros } from '../process-cpu.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const NO_LIMIT = '1000000000';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Ends a child with SIGTERM and waits until it has exited. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Starts a server script and waits until /healthz answers. */
export async function startProcess(script: string, env: Record<string, string>, args: string[] = []) {
  const port = await freePort();
  const child = spawn(process.execPath, [...args, '--import', 'tsx', script], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', ...env },
  });
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, pid: child.pid, stop: () => stopChild(child) };
    } catch {
      if (tries > 1200) throw new Error(`${script} did not start within 2 minutes`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export type Dialect = 'sqlite' | 'postgres';
export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type Server = Awaited<ReturnType<typeof startProcess>>;

/** Taskgate (src/server.ts, or `script`, e.g. bench/ab-server.ts) on SQLite in dataDir or PostgreSQL in schema. */
export function startServer(
  dialect: Dialect,
  dataDir: string,
  schema: string,
  extra: Record<string, string> = {},
  script = 'src/server.ts',
  args: string[] = [],
) {
  const database: Record<string, string> =
    dialect === 'postgres'
      ? { DATABASE_URL: POSTGRES_URL, TASKGATE_DB_SCHEMA: schema }
      : { DATABASE_URL: path.join(dataDir, 'bench.sqlite') };
  return startProcess(
    script,
    {
      ...database,
      ...extra,
      TASKGATE_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      TASKGATE_PASSWORD_HASH_COST: '1024',
      // Limits far above what the run sends, so no 429 distorts the figures.
      TASKGATE_TOKEN_RATE_LIMIT: NO_LIMIT,
      TASKGATE_SESSION_RATE_LIMIT: NO_LIMIT,
      TASKGATE_ANONYMOUS_RATE_LIMIT: NO_LIMIT,
    },
    args,
  );
}

async function call(url: string, method: string, route: string, token?: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url + route, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

export async function must(url: string, method: string, route: string, token?: string, body?: unknown) {
  const res = await call(url, method, route, token, body);
  if (res.status >= 300) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export const PAGE_SIZE = 30;

/** A user with a pro workspace, a space, a project, tasks, a personal token and a session; returns the reads. */
export async function seed(url: string) {
  const email = `bench-${Date.now()}@example.test`;
  await must(url, 'POST', '/api/v1/auth/register', undefined, { email, password: 'bench-password', name: 'Bench' });
  const { sessionToken } = await must(url, 'POST', '/api/v1/auth/login', undefined, { email, password: 'bench-password' });
  const workspace = await must(url, 'POST', '/api/v1/workspaces', sessionToken, { name: 'Bench' });
  const { token } = await must(url, 'POST', '/api/v1/tokens', sessionToken, { name: 'bench' });
  const space = await must(url, 'POST', `/api/v1/workspaces/${workspace.id}/spaces`, sessionToken, { name: 'Bench space' });
  const project = await must(url, 'POST', '/api/v1/projects', sessionToken, { spaceId: space.id, name: 'Bench project' });
  // A page as scripts and agents see it: every task with a user and an agent assigned and two labels.
  const { agent } = await must(url, 'POST', `/api/v1/workspaces/${workspace.id}/agents`, sessionToken, { name: 'Bench agent' });
  const labels = [];
  for (const name of ['bench-a', 'bench-b']) {
    labels.push(await must(url, 'POST', `/api/v1/workspaces/${workspace.id}/labels`, sessionToken, { name }));
  }
  const me = await must(url, 'GET', '/api/v1/me', sessionToken);
  const tasks = [];
  for (let i = 0; i < PAGE_SIZE; i++) {
    const listed = await must(url, 'POST', '/api/v1/tasks', sessionToken, { projectId: project.id, title: `Listed task ${i}` });
    await must(url, 'POST', `/api/v1/tasks/${listed.id}/assignees`, sessionToken, { userId: me.user?.id ?? me.id });
    await must(url, 'POST', `/api/v1/tasks/${listed.id}/assignees`, sessionToken, { agentId: agent.id });
    for (const label of labels) await must(url, 'POST', `/api/v1/tasks/${listed.id}/labels`, sessionToken, { labelId: label.id });
    tasks.push(listed);
  }
  // The single-task read is one of the page's tasks: the same assignees and labels to load.
  const task = tasks[0]!;
  const read = `/api/v1/tasks/${task.id}`;
  const page = `/api/v1/tasks?projectId=${project.id}&limit=${PAGE_SIZE}`;
  const listedPage = await must(url, 'GET', page, token);
  const complete = (t: { assignees: unknown[]; labels: unknown[] }) => t.assignees.length === 2 && t.labels.length === 2;
  if (listedPage.items.length !== PAGE_SIZE || !listedPage.items.every(complete)) {
    throw new Error('the page of tasks was not seeded as planned');
  }
  const body = await must(url, 'GET', read, token);
  return { session: sessionToken as string, token: token as string, read, page, body };
}

export interface Scenario {
  name: string;
  /** The framework floor (bench/floor-server.ts) rather than Taskgate. */
  floor?: boolean;
  /** The second Taskgate process, the one with /metrics on. */
  metered?: boolean;
  path: string;
  token?: string;
  expectStatus: number;
}

export interface Sample {
  rps: number;
  /** Server CPU per request, µs: what the request cost the server, whatever the client's share of the machine. */
  cpuPerRequest: number | null;
  /** Latency, ms. */
  p99: number;
}

export async function measure(url: string, pid: number | undefined, scenario: Scenario, seconds: number): Promise<Sample> {
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
  return { rps: result.requests.average, cpuPerRequest, p99: result.latency.p99 };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function forge(token: string): string {
  return token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
}

/** Drops a bench's PostgreSQL schema (the servers that used it must have stopped). */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** The 1-minute load average, as a bench prints it beside its figures (the machine is shared). */
export function load(): string {
  return os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}
