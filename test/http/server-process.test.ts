import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from '../helpers/cleanups.js';
import { dialectEnv, enabledDialects } from '../helpers/harness.js';
import { dropSchema, freshSchemaName } from '../helpers/postgres.js';
import { collectOutput as collect, runNode, sessionsWritten, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { rawSocket } from './raw-http.js';

const cleanups = cleanupsAfterEach('taskgate-http-');
const tempDir = () => cleanups.tempDir();

/** The process's exit code, or 'still running' (then it is killed) if it has not ended within `ms`. */
async function exitWithin(server: ServerProcess, ms: number): Promise<number | null | 'still running'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'still running'>((resolve) => (timer = setTimeout(() => resolve('still running'), ms)));
  const outcome = await Promise.race([server.exited, late]);
  clearTimeout(timer);
  if (outcome === 'still running') await server.stop('SIGKILL');
  return outcome;
}

async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function post(server: ServerProcess, route: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

async function signUp(server: ServerProcess, email: string): Promise<string> {
  expect((await post(server, '/api/v1/auth/register', { email, password: 'Correct-Horse-Battery-9', name: 'P' })).status).toBe(201);
  const login = await post(server, '/api/v1/auth/login', { email, password: 'Correct-Horse-Battery-9' });
  return ((await login.json()) as { sessionToken: string }).sessionToken;
}

describe('the server process, whatever the database', () => {
  async function start(extra: Record<string, string> = {}): Promise<{ server: ServerProcess; env: Record<string, string> }> {
    const env = { ...dialectEnv('sqlite', tempDir(), 'unused'), LOG_LEVEL: 'info', ...extra };
    const server = await startServerProcess(env);
    cleanups.push(async () => void (await server.stop('SIGKILL')));
    return { server, env };
  }

  it('a second process on a port in use exits 1 with one line naming the port, no stack trace', async () => {
    const { server, env } = await start();
    const child = runNode(['src/server.ts'], {
      ...env,
      TASKGATE_DATA_DIR: tempDir(),
      DATABASE_URL: path.join(tempDir(), 'other.sqlite'),
      PORT: String(server.port),
      HOST: '127.0.0.1',
    });
    let errors = '';
    child.stderr.on('data', (d: Buffer) => (errors += d.toString()));
    const second = await collect(child);
    expect(second.code).toBe(1);
    // One line on standard error says why (standard output, the log, may say what happened before).
    const lines = errors
      .trim()
      .split('\n')
      .filter((line) => line.startsWith('Cannot start Taskgate'));
    expect(lines, second.out).toHaveLength(1);
    expect(lines[0]).toContain(`port ${server.port}`);
    expect(lines[0]).toMatch(/already in use/);
    expect(second.out).not.toMatch(/^\s+at /m);
    // The first one is untouched.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('refuses a TASKGATE_TRUST_PROXY it cannot read with one line', async () => {
    for (const value of ['yes please', '10.0.0.0/33']) {
      const { code, out } = await collect(runNode(['src/server.ts'], { TASKGATE_DATA_DIR: tempDir(), TASKGATE_TRUST_PROXY: value }));
      expect(code, value).toBe(1);
      expect(out.trim().split('\n'), out).toHaveLength(1);
      expect(out).toMatch(/TASKGATE_TRUST_PROXY must be/);
    }
  });

  it('never writes a token or key sent in the URL to the log', async () => {
    const { server } = await start();
    const session = await signUp(server, 'logged@example.test');
    const secrets = [session, 'k3y-value-1', 'hunter2-pass', 'sig-abcdef'];
    const query = `access_token=${session}&api_key=${secrets[1]}&password=${secrets[2]}&X-Amz-Signature=${secrets[3]}&page=2`;
    expect((await fetch(`${server.url}/api/v1/me?${query}`)).status).toBe(401);
    expect(
      (
        await fetch(`${server.url}/api/v1/sessions/${session}?note=1`, {
          method: 'DELETE',
          headers: { authorization: `Bearer ${session}` },
        })
      ).status,
    ).toBeGreaterThanOrEqual(400);
    await until(
      () => (server.output().match(/"url":"\/api\/v1\/(me|sessions)/g) ?? []).length >= 2,
      `the request log lines in ${server.output()}`,
    );
    const log = server.output();
    for (const secret of secrets) expect(log).not.toContain(secret);
    expect(log).toContain('/api/v1/me?access_token=[REDACTED]&api_key=[REDACTED]&password=[REDACTED]&X-Amz-Signature=[REDACTED]&page=2');
    expect(log).toContain('/api/v1/sessions/tgs_[REDACTED]?note=1');
  });

  it('closes idle keep-alive connections on SIGTERM instead of waiting for their clients', async () => {
    const { server } = await start({ TASKGATE_SHUTDOWN_GRACE: '1h' });
    const idle = await rawSocket(server.url, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(idle.answered).toMatch(/^HTTP\/1.1 200/);
    server.child.kill('SIGTERM');
    expect(await exitWithin(server, 20_000)).toBe(0);
    await idle.closed;
  });

  for (const gone of ['stops reading', 'closes its end'] as const) {
    it(`ends on SIGTERM within its grace period when whatever reads its standard output ${gone}`, async () => {
      const { server } = await start({ TASKGATE_SHUTDOWN_GRACE: '2s' });
      if (gone === 'stops reading') server.child.stdout.pause();
      else server.child.stdout.destroy();
      // Enough log lines to fill any pipe buffer several times over.
      for (let batch = 0; batch < 20; batch++) {
        const answers = await Promise.all(Array.from({ length: 100 }, () => fetch(`${server.url}/api/v1/nowhere`)));
        expect(answers.every((a) => a.status === 404)).toBe(true);
      }
      server.child.kill('SIGTERM');
      expect(await exitWithin(server, 15_000)).toBe(0);
    });
  }
});

for (const dialect of enabledDialects()) {
  describe(`the server process [${dialect}]`, () => {
    it('on SIGTERM, cuts a request still open after the grace period, writes last-used times and exits 0', async () => {
      const schema = freshSchemaName();
      if (dialect === 'postgres') cleanups.push(() => dropSchema(schema));
      const env: Record<string, string> = { ...dialectEnv(dialect, tempDir(), schema), LOG_LEVEL: 'info', TASKGATE_SHUTDOWN_GRACE: '1s' };
      const server = await startServerProcess(env);
      cleanups.push(async () => void (await server.stop('SIGKILL')));
      const session = await signUp(server, 'slow@example.test');
      // Authenticated as its headers arrive (the session's use is buffered), then a body that never ends.
      const slow = await rawSocket(
        server.url,
        `POST /api/v1/workspaces HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${session}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":',
        { awaitAnswer: false },
      );
      await until(() => server.output().includes('"url":"/api/v1/workspaces"'), 'the slow request to arrive');
      server.child.kill('SIGTERM');
      expect(await exitWithin(server, 20_000)).toBe(0);
      expect(server.output()).toContain('shutdown grace period over');
      await slow.closed;
      const [row] = await sessionsWritten(env);
      expect(row!.last_seen_at > row!.created_at).toBe(true);
    });
  });
}
