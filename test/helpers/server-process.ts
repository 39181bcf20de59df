import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/db/database.js';
import { TEST_ENV } from './harness.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerProcess {
  child: ChildProcessWithoutNullStreams;
  url: string;
  port: number;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Runs a node script of the project (the server, the CLI) as its own process with the given environment,
 * through tsx unless `loader` is empty (compiled JavaScript from dist/).
 */
export function runNode(args: string[], env: Record<string, string>, loader = ['--import', 'tsx']): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [...loader, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...TEST_ENV, ...env },
  });
}

/**
 * Starts the server as its own process and waits until /healthz answers: `src/server.ts` through tsx (as
 * `npm run dev` does), or with `compiled` the build in dist/ with no loader (as `npm start` does).
 */
export async function startServerProcess(env: Record<string, string>, timeoutMs = 30_000, compiled = false): Promise<ServerProcess> {
  const port = await freePort();
  const serverEnv = { PORT: String(port), HOST: '127.0.0.1', ...env };
  const child = compiled ? runNode(['dist/server.js'], serverEnv, []) : runNode(['src/server.ts'], serverEnv);
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  void exited.then(() => (ended = true));
  for (;;) {
    if (ended) throw new Error(`server exited before it was ready:\n${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not ready after ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    url,
    port,
    output: () => output,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (!ended) child.kill(signal);
      return exited;
    },
  };
}

/** Everything a process printed (standard output and error together) and its exit code, once it has ended. */
export function collectOutput(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; out: string }> {
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

/** The sessions a (stopped) server process left in its database: what it wrote before it exited. */
export async function sessionsWritten(env: Record<string, string>): Promise<Array<{ created_at: string; last_seen_at: string }>> {
  const handle = await openDatabase(env.DATABASE_URL!, env.TASKGATE_DB_SCHEMA ?? null);
  try {
    return await handle.db.selectFrom('sessions').select(['created_at', 'last_seen_at']).execute();
  } finally {
    await handle.close();
  }
}
