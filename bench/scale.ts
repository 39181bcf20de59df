/**
 * Flat with size, memory and a soak (npm run bench:scale), on SQLite and PostgreSQL (issue 19):
 * - token verification (a token-authenticated static route, GET /api/v1/permissions) at 1,000 vs
 *   1,000,000 stored personal tokens: within 10 %;
 * - the filtered task list, 30 per page (a project's tasks by status, and by label), p99 at 1,000 vs
 *   1,000,000 tasks: within 20 %;
 * - the server's RSS after a 60 s load at 1 M tokens / 1 M tasks: under 250 MB; then a 5-minute soak
 *   of the same load: RSS grows by at most 10 %.
 *
 * Two databases per dialect, small and big, each behind its own server process, measured in alternate
 * rounds so both see the same machine. Each starts as a tenant made over HTTP (bench/lib/server-bench.ts:
 * a page of 30 tasks with assignees and labels, a personal token) and is grown with bulk SQL: the template
 * task and token rows copied by one INSERT … SELECT over a sequence (a recursive CTE on SQLite,
 * generate_series on PostgreSQL), then ANALYZE. The big one's tasks go one in ten to the measured project,
 * the rest to a second project, all in the tenant's workspace; its tokens all belong to the tenant's user.
 *
 * Environment: SCALE_BIG (default 1000000), SCALE_SMALL (default 1000), BENCH_SECONDS per scenario and
 * round (default 5), BENCH_ROUNDS (default 5), SCALE_LOAD_SECONDS (default 60), SCALE_SOAK_SECONDS
 * (default 300; 0 skips the soak), BENCH_DIALECTS (default sqlite,postgres), BENCH_CONNECTIONS (default 10).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import {
  type Dialect,
  dropSchema,
  load,
  measure,
  median,
  must,
  POSTGRES_URL,
  type Scenario,
  type Server,
  seed,
  startServer,
} from './lib/server-bench.js';

const BIG = Number(process.env.SCALE_BIG ?? 1_000_000);
const SMALL = Number(process.env.SCALE_SMALL ?? 1_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const LOAD_SECONDS = Number(process.env.SCALE_LOAD_SECONDS ?? 60);
const SOAK_SECONDS = Number(process.env.SCALE_SOAK_SECONDS ?? 300);
const DIALECTS = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',') as Dialect[];

/** Runs SQL on the bench's own connection to a database (never the server's). */
interface Sql {
  run(text: string): Promise<void>;
  columns(table: string): Promise<string[]>;
  close(): Promise<void>;
}

async function connect(dialect: Dialect, dataDir: string, schema: string): Promise<Sql> {
  if (dialect === 'sqlite') {
    const db = new SQLite(path.join(dataDir, 'bench.sqlite'));
    db.pragma('busy_timeout = 30000');
    return {
      run: async (text) => void db.exec(text),
      columns: async (table) => db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[],
      close: async () => void db.close(),
    };
  }
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`SET search_path TO "${schema}"`);
  return {
    run: async (text) => void (await client.query(text)),
    columns: async (table) =>
      (
        await client.query<{ column_name: string }>(
          'SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
          [schema, table],
        )
      ).rows.map((row) => row.column_name),
    close: () => client.end(),
  };
}

/** Rows i = 1..count of a sequence, as a FROM item: a recursive CTE on SQLite, generate_series on PostgreSQL. */
function sequence(dialect: Dialect, count: number): { with: string; from: string } {
  return dialect === 'sqlite'
    ? { with: `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${count}) `, from: 'seq' }
    : { with: '', from: `generate_series(1, ${count}) AS seq(i)` };
}

/** Copies the template row `count` times, with `changed` columns computed from i (the sequence's number). */
async function copyRows(sql: Sql, dialect: Dialect, table: string, template: string, count: number, changed: Record<string, string>) {
  if (count <= 0) return;
  const columns = await sql.columns(table);
  const values = columns.map((column) => changed[column] ?? `t.${column}`);
  const seq = sequence(dialect, count);
  await sql.run(
    `${seq.with}INSERT INTO ${table} (${columns.join(', ')}) SELECT ${values.join(', ')} FROM ${seq.from}, ` +
      `(SELECT * FROM ${table} WHERE ${template} LIMIT 1) AS t`,
  );
}

interface Tenant {
  token: string;
  statusPage: string;
  labelPage: string;
}

/** A database grown to `size` tasks and tokens; returns the tenant's token and the two list pages. */
async function grow(dialect: Dialect, server: Server, dataDir: string, schema: string, size: number): Promise<Tenant> {
  const { token, session, read, page } = await seed(server.url);
  const task = await must(server.url, 'GET', read, token);
  const projectId = new URL(page, server.url).searchParams.get('projectId')!;
  const project = await must(server.url, 'GET', `/api/v1/projects/${projectId}`, session);
  const other = await must(server.url, 'POST', '/api/v1/projects', session, { spaceId: project.spaceId, name: 'Bulk project' });
  const started = performance.now();
  const sql = await connect(dialect, dataDir, schema);
  try {
    const text = (expression: string) => (dialect === 'postgres' ? `(${expression})::text` : `(${expression})`);
    const tasks = size - 30;
    await copyRows(sql, dialect, 'tasks', `id = '${task.id}'`, tasks, {
      id: `'tsk_bulk' || ${text('i')}`,
      project_id: `CASE WHEN i % 10 = 0 THEN '${projectId}' ELSE '${other.id}' END`,
      title: `'Bulk task ' || ${text('i')}`,
      status: `CASE i % 4 WHEN 0 THEN 'todo' WHEN 1 THEN 'in_progress' WHEN 2 THEN 'blocked' ELSE 'done' END`,
      position: 'i + 1000',
    });
    const hash = dialect === 'sqlite' ? 'lower(hex(randomblob(32)))' : `md5(${text('i')}) || md5('x' || ${text('i')})`;
    await copyRows(sql, dialect, 'personal_access_tokens', `token_hash IS NOT NULL`, size - 1, {
      id: `'pat_bulk' || ${text('i')}`,
      name: `'bulk ' || ${text('i')}`,
      token_hash: hash,
    });
    // Fresh statistics, as autovacuum or a periodic ANALYZE would give a long-running server.
    await sql.run('ANALYZE');
  } finally {
    await sql.close();
  }
  console.log(
    `  [${dialect}] grown to ${size.toLocaleString('en')} tasks and tokens in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const labelId = (task.labels as Array<{ id: string }>)[0]!.id;
  return {
    token,
    statusPage: `/api/v1/tasks?projectId=${projectId}&status=todo&limit=30`,
    labelPage: `/api/v1/tasks?projectId=${projectId}&label=${labelId}&limit=30`,
  };
}

/** Resident set size of a process, MB. */
function rssMb(pid: number | undefined): number {
  const line = fs
    .readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? Number.NaN) / 1024;
}

const pct = (ratio: number) => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)}%`;

async function benchDialect(dialect: Dialect): Promise<void> {
  const dirs = [fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-scale-')), fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-scale-'))];
  const schemas = [`bench_small_${Date.now()}`, `bench_big_${Date.now()}`];
  const servers: Server[] = [];
  try {
    for (const [i, dir] of dirs.entries()) servers.push(await startServer(dialect, dir, schemas[i]!));
    const [small, big] = servers as [Server, Server];
    const tenants = [await grow(dialect, small, dirs[0]!, schemas[0]!, SMALL), await grow(dialect, big, dirs[1]!, schemas[1]!, BIG)];
    const scenarios = (t: Tenant): Scenario[] => [
      { name: 'token verification (GET /permissions)', path: '/api/v1/permissions', token: t.token, expectStatus: 200 },
      { name: 'list 30, status filter', path: t.statusPage, token: t.token, expectStatus: 200 },
      { name: 'list 30, label filter', path: t.labelPage, token: t.token, expectStatus: 200 },
    ];
    const names = scenarios(tenants[0]!).map((s) => s.name);
    console.log(
      `\n[${dialect}] ${SMALL.toLocaleString('en')} vs ${BIG.toLocaleString('en')}: ${ROUNDS} rounds × ${names.length} scenarios × ` +
        `${SECONDS}s, load ${load()}`,
    );
    for (const [i, server] of servers.entries()) for (const s of scenarios(tenants[i]!)) await measure(server.url, server.pid, s, 2);
    const rps = names.map(() => [] as number[]);
    const p99 = names.map(() => [] as number[]);
    const p99s = names.map(() => [[], []] as [number[], number[]]);
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [k] of names.entries()) {
        const order = round % 2 ? [0, 1] : [1, 0];
        const samples: Record<number, Awaited<ReturnType<typeof measure>>> = {};
        for (const i of order) samples[i] = await measure(servers[i]!.url, servers[i]!.pid, scenarios(tenants[i]!)[k]!, SECONDS);
        rps[k]!.push(samples[1]!.rps / samples[0]!.rps);
        p99[k]!.push(samples[1]!.p99 / samples[0]!.p99);
        p99s[k]![0].push(samples[0]!.p99);
        p99s[k]![1].push(samples[1]!.p99);
      }
      console.log(`  round ${round} (load ${load()})`);
    }
    console.log('\nscenario                                 big vs small: req/s   p99      p99 small → big (ms, medians)');
    for (const [k, name] of names.entries()) {
      console.log(
        `${name.padEnd(40)} ${pct(median(rps[k]!)).padStart(8)} ${pct(median(p99[k]!)).padStart(8)}      ` +
          `${median(p99s[k]![0]).toFixed(1)} → ${median(p99s[k]![1]).toFixed(1)}`,
      );
    }
    const verify = median(rps[0]!);
    console.log(
      `  ${verify >= 0.9 ? 'MET ' : 'MISS'} token verification at ${BIG.toLocaleString('en')} within 10% of ${SMALL}: ${pct(verify)}`,
    );
    for (const k of [1, 2]) {
      const slower = median(p99[k]!);
      console.log(`  ${slower <= 1.2 ? 'MET ' : 'MISS'} ${names[k]} p99 within 20%: ${pct(slower)}`);
    }
    // Memory: the big server under the mixed load, then the soak.
    const mixed = async (seconds: number) => {
      const until = performance.now() + seconds * 1000;
      while (performance.now() < until) {
        for (const s of scenarios(tenants[1]!)) await measure(big.url, big.pid, s, Math.min(5, Math.max(1, Math.round(seconds / 3))));
      }
    };
    await mixed(LOAD_SECONDS);
    const afterLoad = rssMb(big.pid);
    console.log(
      `  ${afterLoad < 250 ? 'MET ' : 'MISS'} RSS after ${LOAD_SECONDS} s of load at ${BIG.toLocaleString('en')}: ` +
        `${afterLoad.toFixed(0)} MB (< 250)`,
    );
    if (SOAK_SECONDS > 0) {
      const samples = [afterLoad];
      for (let done = 0; done < SOAK_SECONDS; done += 30) {
        await mixed(Math.min(30, SOAK_SECONDS - done));
        samples.push(rssMb(big.pid));
      }
      const growth = samples.at(-1)! / afterLoad;
      console.log(
        `  ${growth <= 1.1 ? 'MET ' : 'MISS'} RSS over a ${SOAK_SECONDS} s soak: ${samples.map((v) => v.toFixed(0)).join(' → ')} MB, ` +
          `growth ${pct(growth)} (≤ +10%), load ${load()}`,
      );
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    if (dialect === 'postgres') for (const schema of schemas) await dropSchema(schema);
  }
}

for (const dialect of DIALECTS) await benchDialect(dialect);
