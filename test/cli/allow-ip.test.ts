import { expect, it } from 'vitest';
import { describeWithServer, userWithProject } from '../client/server.js';
import { runCli } from './run.js';

async function cliJson(args: string[], env: Record<string, string>) {
  const run = await runCli([...args, '--json'], { env });
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

describeWithServer('taskgate --allow-ip, as a subprocess', (server) => {
  it('sets and clears the IP allowlist of personal tokens, workspace tokens and agents', async () => {
    const { workspace, sessionToken } = await userWithProject(server().url);
    const env = { TASKGATE_URL: server().url, TASKGATE_TOKEN: sessionToken, TASKGATE_WORKSPACE: workspace.id };

    const personal = await cliJson(['tokens', 'create', '--name', 'ci', '--allow-ip', '10.0.0.0/8', '--allow-ip', '2001:DB8::/32'], env);
    expect(personal.allowedIps).toEqual(['10.0.0.0/8', '2001:db8::/32']);
    const refused = await runCli(['projects', 'list'], { env: { ...env, TASKGATE_TOKEN: personal.token } });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('IP allowlist');
    expect((await cliJson(['tokens', 'edit', personal.id, '--allow-ip', 'none'], env)).allowedIps).toBeNull();
    const allowed = await runCli(['projects', 'list'], { env: { ...env, TASKGATE_TOKEN: personal.token } });
    expect(allowed.code, allowed.stderr).toBe(0);

    const key = await cliJson(['access-tokens', 'create', '--label', 'CI', '--scope', 'viewer', '--allow-ip', '127.0.0.1'], env);
    expect(key.allowedIps).toEqual(['127.0.0.1/32']);
    expect((await cliJson(['access-tokens', 'edit', key.id, '--allow-ip', '::1'], env)).allowedIps).toEqual(['::1/128']);
    expect((await cliJson(['access-tokens', 'edit', key.id, '--allow-ip', 'none'], env)).allowedIps).toBeNull();

    const registered = await cliJson(['agents', 'register', '--name', 'bot', '--allow-ip', '192.0.2.0/24'], env);
    expect(registered.agent.allowedIps).toEqual(['192.0.2.0/24']);
    const edited = await cliJson(['agents', 'edit', registered.agent.id, '--allow-ip', 'none'], env);
    expect(edited).toMatchObject({ id: registered.agent.id, allowedIps: null });

    const mixed = await runCli(['tokens', 'edit', personal.id, '--allow-ip', 'none', '--allow-ip', '10.0.0.1'], { env });
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('give it alone');
    const wrong = await runCli(['tokens', 'edit', personal.id, '--allow-ip', '10.0.0.0/33'], { env });
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('allowedIps');
  });
});
