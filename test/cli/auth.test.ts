import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeWithServer, userWithProject } from '../client/server.js';
import { cliHome, runCli } from './run.js';

describeWithServer('taskgate auth and tokens, as a subprocess', (server) => {
  it('signs in by password into a named session stored 0600, shows status, prints the token, and signs out on the server too', async () => {
    const { user, tg } = await userWithProject(server().url);
    const home = cliHome();
    const login = await runCli(['auth', 'login', '--url', server().url], { home, stdin: `${user.email}\n${user.password}\n` });
    expect(login.code, login.stderr).toBe(0);
    expect(login.stderr).toContain(`Signed in to ${server().url} as ${user.email}`);
    const file = path.join(home, '.config/taskgate/hosts.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(stored.current).toBe(server().url);

    const sessions = await tg.sessions.list().all();
    expect(sessions.map((s) => s.deviceLabel)).toContainEqual(expect.stringMatching(/^taskgate CLI on /));

    const status = await runCli(['auth', 'status', '--json'], { home });
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ url: server().url, email: user.email, token: null, source: 'stored' });
    const token = await runCli(['auth', 'token'], { home });
    expect(token.stdout.trim()).toBe(stored.hosts[server().url].token);

    const logout = await runCli(['auth', 'logout'], { home });
    expect(logout.code).toBe(0);
    expect(await tg.sessions.list().all()).toHaveLength(1);
    const after = await runCli(['auth', 'status'], { home });
    expect(after.code).toBe(4);
    expect(after.stderr).toContain('Not signed in');
  });

  it('signs in with a token from stdin, and TASKGATE_TOKEN overrides stored credentials', async () => {
    const { tg, user } = await userWithProject(server().url);
    const issued = await tg.tokens.create({ name: 'cli', permissions: ['tasks:read'] });
    const home = cliHome();
    const login = await runCli(['auth', 'login', '--url', server().url, '--with-token'], { home, stdin: `${issued.token}\n` });
    expect(login.code, login.stderr).toBe(0);
    const status = await runCli(['auth', 'status'], { home });
    expect(status.stdout).toContain(`personal token ${issued.id}`);
    expect(status.stdout).toContain(`Expires: ${issued.expiresAt}`);

    const other = await tg.tokens.create({ name: 'from env' });
    const viaEnv = await runCli(['auth', 'status', '--json'], { home, env: { TASKGATE_URL: server().url, TASKGATE_TOKEN: other.token } });
    expect(JSON.parse(viaEnv.stdout)).toMatchObject({ source: 'environment', email: user.email, token: { id: other.id } });

    const bad = await runCli(['auth', 'login', '--url', server().url, '--with-token'], { home: cliHome(), stdin: 'tgp_not-a-token\n' });
    expect(bad.code).toBe(4);
    expect(bad.stderr).toContain('INVALID_TOKEN');
    expect(bad.stderr).toContain('taskgate auth login');
  });

  it('creates, lists, edits, rotates and revokes tokens, printing each secret once to stdout', async () => {
    const { sessionToken } = await userWithProject(server().url);
    const env = { TASKGATE_URL: server().url, TASKGATE_TOKEN: sessionToken };
    const created = await runCli(['tokens', 'create', '--name', 'deploy', '--permission', 'tasks:read', '--expires-in', '30'], { env });
    expect(created.code, created.stderr).toBe(0);
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^tgp_[0-9A-Za-z]{38}$/);
    expect(created.stderr).toContain('it will not be shown again');

    const listed = await runCli(['tokens', 'list', '--json'], { env });
    const [token] = JSON.parse(listed.stdout);
    expect(token).toMatchObject({ name: 'deploy', permissions: ['tasks:read'], status: 'active' });
    expect(listed.stdout).not.toContain(secret);
    const table = await runCli(['tokens', 'list'], { env });
    expect(table.stdout).toMatch(/^ID\s+NAME\s+TOKEN\s+STATUS/);
    expect(table.stdout).toContain(`${secret.slice(0, 10)}…`);

    const edited = await runCli(['tokens', 'edit', token.id, '--name', 'deploy-2', '--json'], { env });
    expect(JSON.parse(edited.stdout)).toMatchObject({ name: 'deploy-2' });
    const rotated = await runCli(['tokens', 'rotate', token.id, '--grace', '60'], { env });
    expect(rotated.stdout.trim()).toMatch(/^tgp_/);
    expect(rotated.stdout.trim()).not.toBe(secret);
    expect(rotated.stderr).toContain('the old one works until');

    const asToken = await runCli(['tokens', 'list'], { env: { TASKGATE_URL: server().url, TASKGATE_TOKEN: secret } });
    expect(asToken.code).toBe(1);
    expect(asToken.stderr).toContain('TOKEN_CANNOT_MANAGE_TOKENS');

    expect((await runCli(['tokens', 'revoke', token.id], { env })).code).toBe(0);
    const me = await runCli(['api', 'GET', '/api/v1/me'], { env: { TASKGATE_URL: server().url, TASKGATE_TOKEN: secret } });
    expect(me.code).toBe(4);
    expect(JSON.parse(me.stdout)).toMatchObject({ code: 'TOKEN_REVOKED' });
    const usage = await runCli(['tokens', 'revoke-all'], { env });
    expect(usage.code).toBe(2);
    const all = await runCli(['tokens', 'revoke-all', '--yes', '--json'], { env });
    expect(JSON.parse(all.stdout)).toEqual({ revoked: 0 });
  });

  it('makes raw API calls with fields and files, like gh api', async () => {
    const { sessionToken, project } = await userWithProject(server().url);
    const env = { TASKGATE_URL: server().url, TASKGATE_TOKEN: sessionToken };
    const created = await runCli(
      ['api', 'POST', '/api/v1/tasks', '-f', `projectId=${project.id}`, '-f', 'title=From the CLI', '-f', 'position=3'],
      { env },
    );
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ title: 'From the CLI', position: 3 });
    const viaStdin = await runCli(['api', 'POST', '/api/v1/tasks', '--input', '-'], {
      env,
      stdin: JSON.stringify({ projectId: project.id, title: 'Piped' }),
    });
    expect(JSON.parse(viaStdin.stdout)).toMatchObject({ title: 'Piped' });
    const missing = await runCli(['api', 'GET', '/api/v1/tasks/tsk_missing'], { env });
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({ code: 'NOT_FOUND' });
    expect((await runCli(['api', 'FETCH', '/api/v1/me'], { env })).code).toBe(2);
    expect((await runCli(['api', 'GET', '/api/v1/me'], { env: { TASKGATE_URL: server().url } })).code).toBe(4);
  });
});

describeWithServer('taskgate warns when its credential expires soon', (server) => {
  it('warns on stderr, once, when the token in use expires within 7 days, and not otherwise', async () => {
    const { tg } = await userWithProject(server().url);
    const soon = await tg.tokens.create({ name: 'soon', expiresAt: new Date(Date.now() + 3 * 86_400_000 + 3_600_000).toISOString() });
    const later = await tg.tokens.create({ name: 'later', expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString() });
    const expiring = await runCli(['auth', 'status'], { env: { TASKGATE_URL: server().url, TASKGATE_TOKEN: soon.token } });
    expect(expiring.code, expiring.stderr).toBe(0);
    expect(expiring.stderr.match(/warning: the credential in use expires in 3 days/g)).toHaveLength(1);
    const raw = await runCli(['api', 'GET', '/api/v1/me'], { env: { TASKGATE_URL: server().url, TASKGATE_TOKEN: soon.token } });
    expect(JSON.parse(raw.stdout)).toMatchObject({ token: { id: soon.id, expiresAt: soon.expiresAt } });
    expect(raw.stderr).toContain('expires in 3 days');
    const fine = await runCli(['auth', 'status'], { env: { TASKGATE_URL: server().url, TASKGATE_TOKEN: later.token } });
    expect(fine.stderr).toBe('');
  });
});
