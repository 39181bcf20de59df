import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from '../helpers/cleanups.js';
import { dialectEnv, enabledDialects } from '../helpers/harness.js';
import { freshSchemaName, dropSchema } from '../helpers/postgres.js';
import { collectOutput as collect, runNode, sessionsWritten, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const cleanups = cleanupsAfterEach('taskgate-proc-');
const tempDir = () => cleanups.tempDir();

describe('configuration', () => {
  it.each([
    ['PORT', 'eighty', /PORT must be a whole number/],
    ['TASKGATE_DEFAULT_PLAN', 'gold', /TASKGATE_DEFAULT_PLAN must be one of free, pro, team/],
    ['TASKGATE_OPEN_SIGNUP', 'maybe', /TASKGATE_OPEN_SIGNUP must be true or false/],
    ['REDIS_URL', 'localhost:6379', /REDIS_URL must start with redis:\/\//],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of/],
  ])('stops with one clear line when %s is bad', async (name, value, message) => {
    const { code, out } = await collect(runNode(['src/server.ts'], { TASKGATE_DATA_DIR: tempDir(), [name]: value }));
    expect(code).toBe(1);
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(out).toMatch(message);
  });
});

for (const dialect of enabledDialects()) {
  describe(`the server process [${dialect}]`, () => {
    async function start(extra: Record<string, string> = {}): Promise<{ server: ServerProcess; env: Record<string, string> }> {
      const schema = freshSchemaName();
      const env = { ...dialectEnv(dialect, tempDir(), schema), LOG_LEVEL: 'info', ...extra };
      if (dialect === 'postgres') cleanups.push(() => dropSchema(schema));
      const server = await startServerProcess(env);
      cleanups.push(async () => void (await server.stop('SIGKILL')));
      return { server, env };
    }

    it('prints how to create the first admin on an empty database, and the CLI creates one', async () => {
      const { server, env } = await start();
      expect(server.output()).toContain('npx taskgate admin create');
      const cli = await collect(
        runNode(['src/cli/main.ts', 'admin', 'create', '--email', 'root@example.test', '--password', 'correct-horse'], env),
      );
      expect(cli.out).toContain('Created instance admin root@example.test');
      expect(cli.code).toBe(0);
      const login = await fetch(`${server.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'root@example.test', password: 'correct-horse' }),
      });
      const body = (await login.json()) as { user: { isAdmin: boolean } };
      expect(body.user.isAdmin).toBe(true);
    });

    it('creates the first admin from TASKGATE_ADMIN_EMAIL/PASSWORD on first start and keeps data across restarts', async () => {
      const { server, env } = await start({ TASKGATE_ADMIN_EMAIL: 'boot@example.test', TASKGATE_ADMIN_PASSWORD: 'bootstrap-pw' });
      expect(server.output()).toContain('Created the first instance admin boot@example.test');
      expect(await server.stop('SIGTERM')).toBe(0);
      const again = await startServerProcess({ ...env, TASKGATE_ADMIN_EMAIL: '', TASKGATE_ADMIN_PASSWORD: '' });
      cleanups.push(async () => void (await again.stop('SIGKILL')));
      expect(again.output()).not.toContain('npx taskgate admin create');
      const login = await fetch(`${again.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'boot@example.test', password: 'bootstrap-pw' }),
      });
      expect(login.status).toBe(200);
    });

    it('on SIGTERM finishes in-flight requests, flushes pending writes and exits 0', async () => {
      const { server } = await start();
      const register = await fetch(`${server.url}/api/v1/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'term@example.test', password: 'password-one-1', name: 'T' }),
      });
      expect(register.status).toBe(201);
      const inFlight = fetch(`${server.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'term@example.test', password: 'password-one-1' }),
      });
      await new Promise((r) => setTimeout(r, 5));
      const code = await server.stop('SIGTERM');
      expect(code).toBe(0);
      expect((await inFlight).status).toBe(200);
      expect(server.output()).toContain('shutting down');
    });

    it('writes buffered last-seen times on SIGTERM', async () => {
      const { server, env } = await start();
      const post = (path: string, body: unknown) =>
        fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      await post('/api/v1/auth/register', { email: 'flush@example.test', password: 'password-one-1', name: 'F' });
      const { sessionToken } = (await (
        await post('/api/v1/auth/login', { email: 'flush@example.test', password: 'password-one-1' })
      ).json()) as { sessionToken: string };
      await new Promise((r) => setTimeout(r, 20));
      expect((await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${sessionToken}` } })).status).toBe(200);
      expect(await server.stop('SIGTERM')).toBe(0);
      const [row] = await sessionsWritten(env);
      expect(row!.last_seen_at > row!.created_at).toBe(true);
    });
  });
}
