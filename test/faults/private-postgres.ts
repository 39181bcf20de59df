import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../helpers/server-process.js';
import { childrenOf } from '../helpers/processes.js';

const run = promisify(execFile);
const BIN = process.env.TEST_POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

/** True when this machine can run a throw-away PostgreSQL cluster (the binaries are installed). */
export const canRunPrivatePostgres = fs.existsSync(path.join(BIN, 'initdb'));

/** initdb refuses root: as root, the cluster runs as the `postgres` user. */
function asClusterUser(command: string, args: string[]): [string, string[]] {
  const root = process.getuid?.() === 0;
  return root ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

async function runAsClusterUser(command: string, args: string[]): Promise<void> {
  const [file, argv] = asClusterUser(path.join(BIN, command), args);
  await run(file, argv, { timeout: 30_000 });
}

/**
 * A PostgreSQL cluster of this test file's own, in a temporary folder on a free port: fault tests stop,
 * freeze and restart it, which they must never do to the shared server.
 */
export class PrivatePostgres {
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private get dataDir(): string {
    return path.join(this.dir, 'data');
  }

  static async create(): Promise<PrivatePostgres> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-fault-pg-'));
    if (process.getuid?.() === 0) await run('chown', ['postgres', dir]);
    const cluster = new PrivatePostgres(dir, await freePort());
    await runAsClusterUser('initdb', [
      '-D',
      cluster.dataDir,
      '-A',
      'trust',
      '-U',
      'postgres',
      '--no-sync',
      '-E',
      'UTF8',
      '--no-instructions',
    ]);
    await cluster.start();
    return cluster;
  }

  async start(): Promise<void> {
    // Durability settings off: the tests kill the application, never this server, and speed matters here.
    const durabilityOff = '-c fsync=off -c full_page_writes=off -c synchronous_commit=off';
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 ${durabilityOff}`;
    await runAsClusterUser('pg_ctl', ['-D', this.dataDir, '-o', options, '-l', path.join(this.dir, 'server.log'), '-w', 'start']);
  }

  /** A fast shutdown: every connection is told 57P01 (admin shutdown) and closed. */
  async stop(): Promise<void> {
    await runAsClusterUser('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', 'stop']);
  }

  private postmasterPid(): number {
    return Number(fs.readFileSync(path.join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  }

  /** SIGSTOP to the postmaster and every backend: connections stay open but nothing answers. */
  freeze(): void {
    const pid = this.postmasterPid();
    process.kill(pid, 'SIGSTOP');
    for (const child of childrenOf(pid)) process.kill(child, 'SIGSTOP');
  }

  thaw(): void {
    const pid = this.postmasterPid();
    for (const child of childrenOf(pid)) process.kill(child, 'SIGCONT');
    process.kill(pid, 'SIGCONT');
  }

  /** pg_terminate_backend on every other client connection; returns how many were ended. */
  async terminateClients(): Promise<number> {
    const client = new pg.Client({ connectionString: this.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ ended: boolean }>(
        "select pg_terminate_backend(pid) as ended from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()",
      );
      return rows.filter((row) => row.ended).length;
    } finally {
      await client.end();
    }
  }

  async destroy(): Promise<void> {
    try {
      this.thaw();
    } catch {
      // not running
    }
    await runAsClusterUser('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
