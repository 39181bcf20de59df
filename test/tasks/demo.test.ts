import { expect, it } from 'vitest';
import { login, uniqueEmail } from '../helpers/factories.js';
import { describeEachDialect, type TestApp } from '../helpers/harness.js';
import { runNode } from '../helpers/server-process.js';
import { ok } from './fixtures.js';

/** Runs `taskgate demo` as its own process against the test app's own database. */
async function runDemo(t: TestApp, args: string[]): Promise<{ code: number | null; output: string }> {
  const env: Record<string, string> = { DATABASE_URL: t.ctx.config.databaseUrl, TASKGATE_DATA_DIR: t.dataDir };
  if (t.ctx.config.databaseSchema) env.TASKGATE_DB_SCHEMA = t.ctx.config.databaseSchema;
  const child = runNode(['bin/taskgate.js', 'demo', ...args], env);
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, output };
}

describeEachDialect('taskgate demo', (app) => {
  it('creates a demo user and a workspace full of tasks a new user sees at once; running it again reuses them', async () => {
    const email = uniqueEmail('demo');
    const first = await runDemo(app(), ['--email', email, '--password', 'demo-password-1']);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toContain(`email:    ${email}`);
    expect(first.output).toContain('password: demo-password-1');

    const token = await login(app(), email, 'demo-password-1');
    const workspaces = ok(await app().request('GET', '/api/v1/workspaces', { token })).items;
    expect(workspaces.map((w: { name: string }) => w.name)).toEqual(['Demo workspace']);
    const workspaceId = workspaces[0].id;
    const projects = ok(await app().request('GET', `/api/v1/projects?workspaceId=${workspaceId}`, { token })).items;
    expect(projects).toHaveLength(2);
    expect(ok(await app().request('GET', `/api/v1/workspaces/${workspaceId}/spaces`, { token })).items).toHaveLength(1);
    expect(ok(await app().request('GET', `/api/v1/workspaces/${workspaceId}/labels`, { token })).items.length).toBeGreaterThanOrEqual(3);

    const tasks = ok(await app().request('GET', `/api/v1/tasks?workspaceId=${workspaceId}&limit=200`, { token })).items;
    expect(tasks.length).toBeGreaterThanOrEqual(18);
    expect(new Set(tasks.map((t: { status: string }) => t.status))).toEqual(new Set(['todo', 'in_progress', 'blocked', 'done']));
    expect(tasks.filter((t: { assignees: unknown[] }) => t.assignees.length > 0).length).toBeGreaterThanOrEqual(10);
    expect(tasks.some((t: { labels: unknown[] }) => t.labels.length > 0)).toBe(true);
    const members = ok(await app().request('GET', `/api/v1/workspaces/${workspaceId}/members`, { token })).items;
    expect(members.length).toBeGreaterThanOrEqual(3);
    const events = ok(await app().request('GET', `/api/v1/workspaces/${workspaceId}/events?type=task.created&limit=200`, { token })).items;
    expect(events).toHaveLength(tasks.length);

    const again = await runDemo(app(), ['--email', email, '--password', 'another-password']);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain('already exists');
    expect(again.output).not.toContain('another-password');
    expect(ok(await app().request('GET', '/api/v1/workspaces', { token })).items).toHaveLength(1);
    await login(app(), email, 'demo-password-1');
  });

  it('refuses a short password without creating anything', async () => {
    const email = uniqueEmail('demo');
    const res = await runDemo(app(), ['--email', email, '--password', 'short']);
    expect(res.code).toBe(1);
    expect(res.output).toContain('at least 12 characters');
    expect(await app().ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()).toBeUndefined();
  });
});
