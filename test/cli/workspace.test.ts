import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { Taskgate } from '../../packages/client/src/index.js';
import { describeWithServer, userWithProject } from '../client/server.js';
import { ROOT } from '../helpers/server-process.js';
import { cliHome, runCli } from './run.js';

/** `taskgate …` left running, for commands that keep printing (events tail). */
function startCli(args: string[], env: Record<string, string>) {
  const home = cliHome();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/taskgate.js'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), NO_COLOR: '1', ...env },
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d: Buffer) => (out.stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
  child.stdin.end();
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    out,
    exited,
    /** Resolves once stderr has said `text` (or rejects when the process ends first). */
    async stderrSays(text: string): Promise<void> {
      while (!out.stderr.includes(text)) {
        const ended = await Promise.race([exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 20))]);
        if (ended && !out.stderr.includes(text)) throw new Error(`exited without saying ${text}:\n${out.stderr}`);
      }
    },
  };
}

async function workspaceWithSession(url: string) {
  const setup = await userWithProject(url);
  return { ...setup, env: { TASKGATE_URL: url, TASKGATE_TOKEN: setup.sessionToken } };
}

const ACCESS_TOKEN_FIELDS = [
  'allowedIps',
  'createdAt',
  'createdBy',
  'delegations',
  'disabledReason',
  'expiresAt',
  'expiresInDays',
  'id',
  'label',
  'lastUsedAt',
  'prefix',
  'rateLimitPerMinute',
  'revokedAt',
  'revokedReason',
  'scope',
  'stale',
  'status',
  'updatedAt',
  'workspaceId',
];

describeWithServer('taskgate access-tokens, agents, projects, webhooks and events, as a subprocess', (server) => {
  it('creates a workspace access token, printing the secret once to stdout only; lists, edits, disables, enables, deletes it', async () => {
    const { tg, workspace, env } = await workspaceWithSession(server().url);
    const created = await runCli(
      [
        'access-tokens',
        'create',
        '--workspace',
        workspace.id,
        '--label',
        'CI',
        '--scope',
        'team_member',
        '--expires-in',
        '30',
        '--rate-limit',
        '20',
      ],
      { env },
    );
    expect(created.code, created.stderr).toBe(0);
    const secret = created.stdout.trim();
    expect(created.stdout).toBe(`${secret}\n`);
    expect(secret).toMatch(/^tgw_[0-9A-Za-z]{38}$/);
    expect(created.stderr).toMatch(/^! Access token wat_\w+ \("CI"\): copy it now, it will not be shown again\.\n$/);

    const withEnv = { ...env, TASKGATE_WORKSPACE: workspace.id };
    const listed = await runCli(['access-tokens', 'list', '--json'], { env: withEnv });
    expect(listed.code, listed.stderr).toBe(0);
    const [token] = JSON.parse(listed.stdout);
    expect(Object.keys(token).sort()).toEqual(ACCESS_TOKEN_FIELDS);
    expect(token).toEqual((await tg.accessTokens.list(workspace.id).all())[0]);
    expect(token).toMatchObject({
      label: 'CI',
      scope: 'team_member',
      rateLimitPerMinute: 20,
      status: 'active',
      prefix: secret.slice(0, 10),
    });
    expect(listed.stdout).not.toContain(secret);
    const table = await runCli(['access-tokens', 'list'], { env: withEnv });
    expect(table.stdout).toMatch(/^ID\s+LABEL\s+TOKEN\s+SCOPE\s+STATUS\s+RATE LIMIT\s+EXPIRES\s+LAST USED\s+EXPIRES IN\s+STALE\n/);
    expect(table.stdout).toContain(`${secret.slice(0, 10)}…  team_member  active  20/min`);

    const edited = await runCli(['access-tokens', 'edit', token.id, '--label', 'CI 2', '--scope', 'viewer', '--json'], { env: withEnv });
    expect(JSON.parse(edited.stdout)).toMatchObject({ id: token.id, label: 'CI 2', scope: 'viewer' });
    const disabled = await runCli(['access-tokens', 'disable', token.id, '--json'], { env: withEnv });
    expect(JSON.parse(disabled.stdout)).toMatchObject({ id: token.id, status: 'disabled' });
    const refused = await runCli(['projects', 'list'], { env: { TASKGATE_URL: server().url, TASKGATE_TOKEN: secret } });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('sign in again with `taskgate auth login`');
    expect(JSON.parse((await runCli(['access-tokens', 'enable', token.id, '--json'], { env: withEnv })).stdout)).toMatchObject({
      status: 'active',
    });

    const deleted = await runCli(['access-tokens', 'delete', token.id, '--json'], { env: withEnv });
    expect(JSON.parse(deleted.stdout)).toEqual({ id: token.id, deleted: true });
    expect(await tg.accessTokens.list(workspace.id).all()).toEqual([]);
    expect(
      (await runCli(['access-tokens', 'create', '--workspace', workspace.id, '--label', 'x', '--scope', 'emperor'], { env })).code,
    ).toBe(2);
  });

  it('takes the workspace from --workspace, TASKGATE_WORKSPACE or a workspace token, and says how to give it otherwise', async () => {
    const { tg, workspace, project, env } = await workspaceWithSession(server().url);
    const missing = await runCli(['projects', 'list'], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      'taskgate: Say which workspace: --workspace <id> or TASKGATE_WORKSPACE=<id> (a workspace or agent token needs neither)\n',
    );

    const key = await tg.accessTokens.create(workspace.id, { label: 'reader', scope: 'viewer' });
    const own = await runCli(['projects', 'list', '--json'], { env: { TASKGATE_URL: server().url, TASKGATE_TOKEN: key.token } });
    expect(own.code, own.stderr).toBe(0);
    expect(JSON.parse(own.stdout)).toEqual([await tg.projects.get(project.id)]);

    await tg.projects.update(project.id, { archived: true });
    const active = await runCli(['projects', 'list', '--workspace', workspace.id], { env });
    expect(active.stdout).toBe('No active projects (--all includes archived ones).\n');
    const all = await runCli(['projects', 'list', '--all', '--json'], { env: { ...env, TASKGATE_WORKSPACE: workspace.id } });
    expect(JSON.parse(all.stdout)).toEqual([expect.objectContaining({ id: project.id, archived: true })]);
    const table = await runCli(['projects', 'list', '--all', '--workspace', workspace.id], { env });
    expect(table.stdout).toMatch(new RegExp(`^ID\\s+NAME\\s+SPACE\\s+STATE\\s+UPDATED\\n${project.id}\\s+API\\s+spc_\\w+\\s+archived\\s`));
  });

  it('registers an agent (token printed once), lists, reissues with a grace period and revokes its token', async () => {
    const { tg, workspace, env } = await workspaceWithSession(server().url);
    const registered = await runCli(
      ['agents', 'register', '--workspace', workspace.id, '--name', 'triage-bot', '--description', 'Sorts new tasks'],
      { env },
    );
    expect(registered.code, registered.stderr).toBe(0);
    const token = registered.stdout.trim();
    expect(registered.stdout).toBe(`${token}\n`);
    expect(token).toMatch(/^tga_/);
    expect(registered.stderr).toContain('copy it now, it will not be shown again');
    expect(registered.stderr).not.toContain(token);

    const listed = await runCli(['agents', 'list', '--workspace', workspace.id, '--json'], { env });
    const [agent] = JSON.parse(listed.stdout);
    // A list shows what one agent's page shows, plus its token's hygiene (days to expiry, stale) and the tokens delegated from it.
    const one = await tg.agents.get(agent.id);
    expect(agent).toEqual({ ...one, token: { ...one.token, expiresInDays: expect.any(Number), stale: false }, delegations: [] });
    expect(Object.keys(agent).sort()).toEqual([
      'allowedIps',
      'createdAt',
      'createdBy',
      'delegations',
      'description',
      'disabledReason',
      'id',
      'name',
      'status',
      'token',
      'updatedAt',
      'workspaceId',
    ]);
    expect(agent).toMatchObject({ name: 'triage-bot', description: 'Sorts new tasks', token: { prefix: token.slice(0, 10) } });

    // The agent's own token names its workspace.
    const asAgent = await runCli(['agents', 'list', '--json'], { env: { TASKGATE_URL: server().url, TASKGATE_TOKEN: token } });
    expect(JSON.parse(asAgent.stdout).map((a: { id: string }) => a.id)).toEqual([agent.id]);

    const reissued = await runCli(['agents', 'reissue', agent.id, '--grace', '60'], { env });
    expect(reissued.code, reissued.stderr).toBe(0);
    const next = reissued.stdout.trim();
    expect(next).toMatch(/^tga_/);
    expect(next).not.toBe(token);
    expect(reissued.stderr).toContain('(the old one works until ');
    expect((await new Taskgate({ baseUrl: server().url, token }).me.get()).token?.agentId).toBe(agent.id);

    const revoked = await runCli(['agents', 'revoke', agent.id, '--json'], { env });
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ id: agent.id, token: null });
    const after = await runCli(['tasks', 'list'], { env: { TASKGATE_URL: server().url, TASKGATE_TOKEN: next } });
    expect(after.code).toBe(4);
  });

  it('lists webhooks and their deliveries, and redelivers one', async () => {
    const { tg, workspace, env } = await workspaceWithSession(server().url);
    const webhook = await tg.webhooks.create(workspace.id, { url: 'http://127.0.0.1:9/hook', events: ['task.*'], description: 'Nowhere' });
    const ping = await tg.webhooks.test(webhook.id);

    const listed = await runCli(['webhooks', 'list', '--workspace', workspace.id, '--json'], { env });
    expect(listed.code, listed.stderr).toBe(0);
    // The failing ping may change the endpoint's state meanwhile: compare the fields that stay.
    const { secret: _, failingSince: __, updatedAt: ___, ...steady } = webhook;
    const [shown] = JSON.parse(listed.stdout);
    expect(Object.keys(shown).sort()).toEqual(Object.keys({ ...steady, failingSince: null, updatedAt: '' }).sort());
    expect(shown).toMatchObject(steady);
    const table = await runCli(['webhooks', 'list', '--workspace', workspace.id], { env });
    expect(table.stdout).toMatch(
      new RegExp(`^ID\\s+URL\\s+EVENTS\\s+STATE\\s+DESCRIPTION\\n${webhook.id}\\s+http://127.0.0.1:9/hook\\s+task\\.\\*\\s+.*Nowhere\\n$`),
    );

    const deliveries = await runCli(['webhooks', 'deliveries', webhook.id, '--json'], { env });
    expect(deliveries.code, deliveries.stderr).toBe(0);
    const [delivery] = JSON.parse(deliveries.stdout);
    expect(Object.keys(delivery).sort()).toEqual(Object.keys(ping).sort());
    expect(delivery).toMatchObject({ id: ping.id, webhookId: webhook.id, eventType: 'ping', messageId: ping.messageId });

    const again = await runCli(['webhooks', 'redeliver', ping.id, '--json'], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ id: ping.id, status: 'pending' });
    const missing = await runCli(['webhooks', 'redeliver', 'dlv_missing'], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('(NOT_FOUND)');
  });

  it('tails events: the latest oldest first, then a task created meanwhile, one JSON object per line', async () => {
    const { tg, workspace, project, env } = await workspaceWithSession(server().url);
    const tail = startCli(['events', 'tail', '--workspace', workspace.id, '--json', '--max-polls', '2'], env);
    await tail.stderrSays('for new events every 2 s');
    const task = await tg.tasks.create({ projectId: project.id, title: 'Arrived while tailing' });
    expect(await tail.exited).toBe(0);

    const lines = tail.out.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    const history = (await tg.events.list(workspace.id).all()).toReversed();
    expect(lines).toEqual(history);
    expect(lines.map((e) => e.type)).toEqual(['workspace.created', 'space.created', 'project.created', 'task.created']);
    expect(lines.at(-1)).toMatchObject({ resourceId: task.id, data: { title: 'Arrived while tailing' } });

    const typed = await runCli(['events', 'tail', '--workspace', workspace.id, '--type', 'task.created', '--max-polls', '1'], { env });
    expect(typed.code, typed.stderr).toBe(0);
    expect(typed.stdout).toMatch(
      new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  task.created\\s+${task.id}  "Arrived while tailing"  by user usr_\\w+\\n$`),
    );
  });
});
