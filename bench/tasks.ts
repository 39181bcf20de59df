/**
 * Task list/filter/get latency at 100,000 tasks (npm run bench:tasks).
 *
 * For SQLite (a temporary file) and PostgreSQL (a fresh schema on BENCH_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/test, dropped afterwards): starts the app in-process on a real
 * port, loads 100,000 tasks (10 projects, with assignees and labels) straight through Kysely in
 * batches, then times sequential HTTP requests per scenario and prints p50/p99 in milliseconds.
 *
 * Environment: BENCH_TASKS (default 100000), BENCH_REQUESTS per scenario (default 300),
 * BENCH_DIALECTS (default "sqlite,postgres").
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { sql } from 'kysely';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { createContext, type AppContext } from '../src/context.js';
import type { DialectName } from '../src/db/database.js';
import { insertTaskRows, seedTaskRow } from '../src/tasks/task-seed.js';
import { PRIORITIES } from '../src/tasks/task-views.js';
import type { TaskAssigneeRow, TaskLabelRow, TaskRow } from '../src/tasks/tables.js';

const TOTAL = Number(process.env.BENCH_TASKS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const DIALECTS = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',') as DialectName[];
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PROJECTS = 10;
const USERS = 5;
const LABELS = 8;
const BATCH = 1_000;
const NO_LIMIT = '1000000000';

/** A small deterministic generator, so both dialects get the same data. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

class Client {
  constructor(
    readonly url: string,
    public token = '',
  ) {}

  async call(method: string, route: string, body?: unknown): Promise<any> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.url + route, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const json: unknown = await res.json();
    if (res.status >= 300) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(json)}`);
    return json;
  }
}

interface Tenant {
  workspaceId: string;
  projectIds: string[];
  userIds: string[];
  labelIds: string[];
}

/** Users, a workspace, a space, projects and labels, made over HTTP like a real client would. */
async function setUpTenant(client: Client): Promise<Tenant> {
  const users: Array<{ id: string; email: string }> = [];
  for (let i = 0; i < USERS; i++) {
    const email = `bench-${i}-${Date.now()}@example.test`;
    const { user } = await client.call('POST', '/api/v1/auth/register', { email, password: 'bench-password', name: `Bench ${i}` });
    users.push({ id: user.id, email });
  }
  client.token = (await client.call('POST', '/api/v1/auth/login', { email: users[0]?.email, password: 'bench-password' })).sessionToken;
  const workspace = await client.call('POST', '/api/v1/workspaces', { name: 'Bench' });
  for (const user of users.slice(1))
    await client.call('POST', `/api/v1/workspaces/${workspace.id}/members`, { email: user.email, role: 'team_member' });
  const userIds = users.map((user) => user.id);
  const space = await client.call('POST', `/api/v1/workspaces/${workspace.id}/spaces`, { name: 'Bench space' });
  const projectIds: string[] = [];
  for (let i = 0; i < PROJECTS; i++)
    projectIds.push((await client.call('POST', '/api/v1/projects', { spaceId: space.id, name: `Project ${i}` })).id);
  const labelIds: string[] = [];
  for (let i = 0; i < LABELS; i++)
    labelIds.push((await client.call('POST', `/api/v1/workspaces/${workspace.id}/labels`, { name: `label-${i}` })).id);
  return { workspaceId: workspace.id, projectIds, userIds, labelIds };
}

const WORDS = ['login', 'invoice', 'report', 'sync', 'export', 'billing', 'search', 'upload', 'profile', 'release'];

/** 100,000 tasks spread over the projects, about 1% mentioning "needle", most with a due date, assignees and labels. */
async function loadTasks(ctx: AppContext, tenant: Tenant): Promise<string[]> {
  const next = random(42);
  const actor = { type: 'user' as const, id: tenant.userIds[0] ?? '' };
  const start = Date.parse('2025-01-01T00:00:00Z');
  const ids: string[] = [];
  for (let offset = 0; offset < TOTAL; offset += BATCH) {
    const tasks: TaskRow[] = [];
    const assignees: TaskAssigneeRow[] = [];
    const labels: TaskLabelRow[] = [];
    for (let i = offset; i < Math.min(TOTAL, offset + BATCH); i++) {
      const word = WORDS[Math.floor(next() * WORDS.length)];
      const row = seedTaskRow({ id: tenant.projectIds[i % PROJECTS] ?? '', workspace_id: tenant.workspaceId }, actor, {
        title: `Task ${i}: ${word}${next() < 0.01 ? ' needle' : ''}`,
        description: `Details about ${word} number ${i}.`,
        status: ['todo', 'in_progress', 'blocked', 'done'][Math.floor(next() * 4)],
        priority: PRIORITIES[Math.floor(next() * PRIORITIES.length)],
        dueAt: next() < 0.7 ? new Date(start + Math.floor(next() * 365) * 86_400_000).toISOString() : null,
        position: Math.floor(i / PROJECTS),
        createdAt: new Date(start + i * 60_000).toISOString(),
      });
      tasks.push(row);
      ids.push(row.id);
      const assigneeCount = Math.floor(next() * 3);
      for (const user of new Set(Array.from({ length: assigneeCount }, () => tenant.userIds[Math.floor(next() * USERS)] ?? ''))) {
        assignees.push({ task_id: row.id, assignee_type: 'user', assignee_id: user, created_at: row.created_at });
      }
      for (const label of new Set(
        Array.from({ length: Math.floor(next() * 3) }, () => tenant.labelIds[Math.floor(next() * LABELS)] ?? ''),
      )) {
        labels.push({ task_id: row.id, label_id: label, created_at: row.created_at });
      }
    }
    await insertTaskRows(ctx.db, tasks);
    if (assignees.length) await ctx.db.insertInto('task_assignees').values(assignees).execute();
    if (labels.length) await ctx.db.insertInto('task_labels').values(labels).execute();
  }
  // Fresh statistics, as autovacuum (PostgreSQL) or a periodic ANALYZE would give a long-running server.
  await sql`analyze`.execute(ctx.db);
  return ids;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

interface Scenario {
  name: string;
  /** The path of the i-th request; a cursor walk returns the next page's path itself. */
  path: (i: number) => string;
  cursorWalk?: boolean;
}

async function time(client: Client, scenario: Scenario): Promise<{ p50: number; p99: number }> {
  const durations: number[] = [];
  let path = scenario.path(0);
  for (let i = 0; i < REQUESTS; i++) {
    const started = performance.now();
    const body = await client.call('GET', path);
    durations.push(performance.now() - started);
    if (scenario.cursorWalk) path = body.nextCursor ? `${scenario.path(0)}&cursor=${body.nextCursor}` : scenario.path(0);
    else path = scenario.path(i + 1);
  }
  durations.sort((a, b) => a - b);
  return { p50: percentile(durations, 50), p99: percentile(durations, 99) };
}

function scenarios(tenant: Tenant, taskIds: string[]): Scenario[] {
  const project = (i: number) => tenant.projectIds[i % PROJECTS];
  const pick = random(7);
  return [
    { name: 'GET /tasks/{id}', path: () => `/api/v1/tasks/${taskIds[Math.floor(pick() * taskIds.length)]}` },
    { name: 'list (default sort, 50)', path: (i) => `/api/v1/tasks?projectId=${project(i)}` },
    { name: 'list, next pages by cursor', path: () => `/api/v1/tasks?projectId=${project(0)}`, cursorWalk: true },
    { name: 'list sort=-priority', path: (i) => `/api/v1/tasks?projectId=${project(i)}&sort=-priority` },
    { name: 'list sort=dueAt', path: (i) => `/api/v1/tasks?projectId=${project(i)}&sort=dueAt` },
    { name: 'filter status', path: (i) => `/api/v1/tasks?projectId=${project(i)}&status=blocked` },
    { name: 'filter assignee', path: (i) => `/api/v1/tasks?projectId=${project(i)}&assignee=${tenant.userIds[i % USERS]}` },
    { name: 'filter label', path: (i) => `/api/v1/tasks?projectId=${project(i)}&label=${tenant.labelIds[i % LABELS]}` },
    {
      name: 'filter due window',
      path: (i) => `/api/v1/tasks?projectId=${project(i)}&dueAfter=2025-06-01T00:00:00Z&dueBefore=2025-07-01T00:00:00Z&sort=dueAt`,
    },
    { name: 'text search (rare word)', path: (i) => `/api/v1/tasks?projectId=${project(i)}&q=needle` },
    {
      name: 'combined: status+assignee+label',
      path: (i) =>
        `/api/v1/tasks?projectId=${project(i)}&status=todo,in_progress` +
        `&assignee=${tenant.userIds[i % USERS]}&label=${tenant.labelIds[i % LABELS]}`,
    },
    {
      name: 'workspace-wide, assignee',
      path: (i) => `/api/v1/tasks?workspaceId=${tenant.workspaceId}&assignee=${tenant.userIds[i % USERS]}&sort=-createdAt`,
    },
    { name: 'workspace-wide, default sort', path: () => `/api/v1/tasks?workspaceId=${tenant.workspaceId}` },
  ];
}

async function withDatabase<T>(dialect: DialectName, run: (env: Record<string, string>) => Promise<T>): Promise<T> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-bench-'));
  const schema = `tg_bench_${Date.now().toString(36)}`;
  const env: Record<string, string> =
    dialect === 'postgres'
      ? { DATABASE_URL: PG_URL, TASKGATE_DB_SCHEMA: schema, TASKGATE_DATA_DIR: dataDir }
      : { DATABASE_URL: path.join(dataDir, 'bench.sqlite'), TASKGATE_DATA_DIR: dataDir };
  try {
    return await run(env);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (dialect === 'postgres') {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  }
}

async function benchDialect(dialect: DialectName): Promise<Map<string, { p50: number; p99: number }>> {
  return withDatabase(dialect, async (env) => {
    const config = loadConfig({
      ...env,
      LOG_LEVEL: 'silent',
      TASKGATE_PASSWORD_HASH_COST: '1024',
      TASKGATE_SESSION_RATE_LIMIT: NO_LIMIT,
      TASKGATE_ANONYMOUS_RATE_LIMIT: NO_LIMIT,
      TASKGATE_TOKEN_RATE_LIMIT: NO_LIMIT,
    });
    const ctx = await createContext(config);
    const app = await buildApp(ctx, { logger: false });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      const client = new Client(`http://127.0.0.1:${address.port}`);
      const tenant = await setUpTenant(client);
      const loadStart = performance.now();
      const taskIds = await loadTasks(ctx, tenant);
      console.log(`[${dialect}] loaded ${TOTAL.toLocaleString('en')} tasks in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);
      const results = new Map<string, { p50: number; p99: number }>();
      for (const scenario of scenarios(tenant, taskIds)) {
        await time(client, { ...scenario }); // warm-up pass: caches and query plans
        results.set(scenario.name, await time(client, scenario));
        console.log(`[${dialect}] ${scenario.name}: p50 ${results.get(scenario.name)?.p50.toFixed(2)} ms`);
      }
      return results;
    } finally {
      await app.close();
      await ctx.close();
    }
  });
}

const ms = (value: number | undefined) => (value === undefined ? '—' : value.toFixed(2)).padStart(8);

async function main(): Promise<void> {
  console.log(
    `Taskgate task API at ${TOTAL.toLocaleString('en')} tasks: ${REQUESTS} sequential requests per scenario ` +
      '(after a warm-up pass), latency in ms',
  );
  const byDialect = new Map<DialectName, Map<string, { p50: number; p99: number }>>();
  for (const dialect of DIALECTS) byDialect.set(dialect, await benchDialect(dialect));
  const names = [...(byDialect.values().next().value?.keys() ?? [])];
  const header = ['scenario'.padEnd(34), ...DIALECTS.flatMap((d) => [`${d} p50`.padStart(12), `${d} p99`.padStart(12)])].join(' ');
  console.log(`\n${header}\n${'-'.repeat(header.length)}`);
  for (const name of names) {
    const cells = DIALECTS.flatMap((d) => [
      ms(byDialect.get(d)?.get(name)?.p50).padStart(12),
      ms(byDialect.get(d)?.get(name)?.p99).padStart(12),
    ]);
    console.log([name.padEnd(34), ...cells].join(' '));
  }
}

await main();
