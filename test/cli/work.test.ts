import { expect, it } from 'vitest';
import { describeWithServer, userWithProject } from '../client/server.js';
import { runCli } from './run.js';

async function projectWithSession(url: string) {
  const setup = await userWithProject(url);
  return { ...setup, env: { TASKGATE_URL: url, TASKGATE_TOKEN: setup.sessionToken } };
}

const TASK_FIELDS = [
  'assignees',
  'claimedAt',
  'claimedBy',
  'completedAt',
  'createdAt',
  'createdBy',
  'description',
  'dueAt',
  'id',
  'labels',
  'position',
  'priority',
  'projectId',
  'resultNote',
  'status',
  'title',
  'updatedAt',
  'updatedBy',
  'version',
  'workspaceId',
];

describeWithServer('taskgate tasks, as a subprocess', (server) => {
  it('lists one page by default with a hint, every page with --all, and applies the filters', async () => {
    const { tg, workspace, project, env } = await projectWithSession(server().url);
    // One after another, so that their positions follow their numbers.
    for (let n = 0; n < 120; n++) {
      await tg.tasks.create({
        projectId: project.id,
        title: `Task ${n}${n % 10 === 0 ? ' needle' : ''}`,
        priority: n % 3 === 0 ? 'high' : 'low',
        dueAt: new Date(Date.UTC(2030, 0, 1 + (n % 30))).toISOString(),
      });
    }

    const page = await runCli(['tasks', 'list', '--project', project.id, '--limit', '50', '--json'], { env });
    expect(page.code, page.stderr).toBe(0);
    const firstPage = JSON.parse(page.stdout);
    expect(firstPage).toEqual((await tg.tasks.list({ projectId: project.id, limit: 50 }).page()).items);
    expect(Object.keys(firstPage[0]).sort()).toEqual(TASK_FIELDS);
    expect(page.stderr).toBe('Showing the first 50 tasks; add --all for every page.\n');

    const all = await runCli(['tasks', 'list', '--workspace', workspace.id, '--limit', '50', '--all', '--json'], { env });
    expect(all.code, all.stderr).toBe(0);
    // Not a terminal: no progress count on stderr.
    expect(all.stderr).toBe('');
    const every = JSON.parse(all.stdout);
    expect(every).toHaveLength(120);
    expect(every).toEqual(await tg.tasks.list({ workspaceId: workspace.id }).all());

    const filtered = async (...filters: string[]) => {
      const run = await runCli(['tasks', 'list', '--project', project.id, '--all', '--json', ...filters], { env });
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(run.stdout) as Array<{ title: string; priority: string; dueAt: string; status: string }>;
    };
    expect(await filtered('--priority', 'high')).toHaveLength(40);
    expect((await filtered('--search', 'needle')).map((t) => t.title)).toEqual(
      Array.from({ length: 12 }, (_, i) => `Task ${i * 10} needle`),
    );
    const dueEarly = await filtered('--due-before', '2030-01-03', '--sort', '-dueAt');
    expect(dueEarly).toHaveLength(8);
    expect(dueEarly.map((t) => t.dueAt.slice(0, 10))).toEqual([...Array(4).fill('2030-01-02'), ...Array(4).fill('2030-01-01')]);
    expect(await filtered('--due-after', '2030-01-29T00:00:00Z', '--priority', 'low')).toHaveLength(
      every.filter((t: { dueAt: string; priority: string }) => t.dueAt > '2030-01-29T00:00:00.000Z' && t.priority === 'low').length,
    );

    const [first] = every;
    await tg.tasks.claim(first.id);
    expect((await filtered('--assignee', 'me')).map((t) => t.status)).toEqual(['in_progress']);
    expect(await filtered('--status', 'in_progress,done')).toHaveLength(1);
    const bug = await tg.labels.create(workspace.id, { name: 'bug' });
    await tg.tasks.addLabel(every[7].id, bug.id);
    expect((await filtered('--label', bug.id)).map((t) => t.title)).toEqual(['Task 7']);

    const table = await runCli(['tasks', 'list', '--project', project.id, '--limit', '2'], { env });
    expect(table.stdout).toMatch(
      new RegExp(
        '^ID\\s+STATUS\\s+PRIORITY\\s+DUE\\s+ASSIGNEES\\s+TITLE\\n' +
          'tsk_\\w+\\s+in_progress\\s+high\\s+2030-01-01 00:00\\s+Client User\\s+Task 0 needle\\n' +
          'tsk_\\w+\\s+todo\\s+low\\s+2030-01-02 00:00\\s+—\\s+Task 1\\n$',
      ),
    );
    expect((await runCli(['tasks', 'list', '--project', project.id, '--priority', 'huge'], { env })).code).toBe(2);
  });

  it('creates, shows, edits, claims, completes and assigns, printing the task as JSON', async () => {
    const { tg, workspace, project, user, env } = await projectWithSession(server().url);
    const created = await runCli(
      [
        'tasks',
        'create',
        '--project',
        project.id,
        '--title',
        'Write the CLI',
        '--description',
        'All of it',
        '--priority',
        'urgent',
        '--due',
        '2030-05-01',
        '--json',
      ],
      { env },
    );
    expect(created.code, created.stderr).toBe(0);
    const task = JSON.parse(created.stdout);
    expect(Object.keys(task).sort()).toEqual(TASK_FIELDS);
    expect(task).toMatchObject({
      title: 'Write the CLI',
      description: 'All of it',
      priority: 'urgent',
      status: 'todo',
      dueAt: '2030-05-01T00:00:00.000Z',
      version: 1,
    });

    const shown = await runCli(['tasks', 'show', task.id, '--json'], { env });
    expect(JSON.parse(shown.stdout)).toEqual(await tg.tasks.get(task.id));
    const details = await runCli(['tasks', 'show', task.id], { env });
    expect(details.stdout).toMatch(
      new RegExp(
        `^Write the CLI\\n  id         ${task.id}\\n  project    ${project.id}\\n` +
          '  status     todo\\n  priority   urgent\\n  due        2030-05-01 00:00\\n',
      ),
    );
    expect(details.stdout).toMatch(/\n  version    1\n[\s\S]*\n\nAll of it\n$/);

    const edited = await runCli(
      ['tasks', 'edit', task.id, '--title', 'Write the whole CLI', '--due', 'none', '--if-match', '1', '--json'],
      { env },
    );
    expect(edited.code, edited.stderr).toBe(0);
    expect(JSON.parse(edited.stdout)).toMatchObject({ title: 'Write the whole CLI', dueAt: null, version: 2 });
    expect((await runCli(['tasks', 'edit', task.id], { env })).code).toBe(2);

    const agent = await tg.agents.register(workspace.id, { name: 'helper' });
    const assigned = await runCli(['tasks', 'assign', task.id, '--agent', agent.agent.id, '--json'], { env });
    expect(JSON.parse(assigned.stdout).assignees).toEqual([{ type: 'agent', id: agent.agent.id, name: 'helper' }]);
    const byUser = await runCli(['tasks', 'assign', task.id, '--user', user.id, '--json'], { env });
    expect(JSON.parse(byUser.stdout).assignees.map((a: { id: string }) => a.id)).toEqual([agent.agent.id, user.id]);
    expect((await runCli(['tasks', 'assign', task.id], { env })).code).toBe(2);

    const claimed = await runCli(['tasks', 'claim', task.id, '--json'], { env });
    expect(JSON.parse(claimed.stdout)).toMatchObject({ status: 'in_progress', claimedBy: { type: 'user', id: user.id } });
    const completed = await runCli(['tasks', 'complete', task.id, '--note', 'Shipped', '--json'], { env });
    expect(completed.code, completed.stderr).toBe(0);
    expect(JSON.parse(completed.stdout)).toEqual(await tg.tasks.get(task.id));
    expect(JSON.parse(completed.stdout)).toMatchObject({ status: 'done', resultNote: 'Shipped' });
  });

  it('explains a stale --if-match in one line (exit 1)', async () => {
    const { tg, project, env } = await projectWithSession(server().url);
    const task = await tg.tasks.create({ projectId: project.id, title: 'Contested' });
    await tg.tasks.update(task.id, { title: 'Changed by someone else' });
    const stale = await runCli(['tasks', 'edit', task.id, '--title', 'Mine', '--if-match', '1'], { env });
    expect(stale.code).toBe(1);
    expect(stale.stdout).toBe('');
    expect(stale.stderr).toBe(
      `taskgate: Task ${task.id} changed since version 1 (it is at version 2 now): ` +
        `look at it with \`taskgate tasks show ${task.id}\`, then edit again (PRECONDITION_FAILED)\n`,
    );
    expect((await tg.tasks.get(task.id)).title).toBe('Changed by someone else');
  });

  it('lets one of two agents claim a task; the second is told who has it (exit 1)', async () => {
    const { tg, workspace, project } = await projectWithSession(server().url);
    const task = await tg.tasks.create({ projectId: project.id, title: 'Only one of you' });
    const first = await tg.agents.register(workspace.id, { name: 'first' });
    const second = await tg.agents.register(workspace.id, { name: 'second' });
    const asAgent = (token: string) => ({ env: { TASKGATE_URL: server().url, TASKGATE_TOKEN: token } });

    const won = await runCli(['tasks', 'claim', task.id, '--json'], asAgent(first.token));
    expect(won.code, won.stderr).toBe(0);
    expect(JSON.parse(won.stdout)).toMatchObject({ claimedBy: { type: 'agent', id: first.agent.id }, status: 'in_progress' });
    const lost = await runCli(['tasks', 'claim', task.id], asAgent(second.token));
    expect(lost.code).toBe(1);
    expect(lost.stdout).toBe('');
    expect(lost.stderr).toBe(`taskgate: Task ${task.id} is already claimed by agent ${first.agent.id} (TASK_ALREADY_CLAIMED)\n`);
    // An agent token names its workspace: the agent lists it without --workspace.
    const mine = await runCli(['tasks', 'list', '--assignee', 'me', '--json'], asAgent(first.token));
    expect(JSON.parse(mine.stdout).map((t: { id: string }) => t.id)).toEqual([task.id]);
  });

  it('says which permission a 403 lacks, when to retry a 429, to sign in again on a 401, and when the server is unreachable', async () => {
    const { tg, project } = await projectWithSession(server().url);
    const reader = await tg.tokens.create({ name: 'reader', permissions: ['tasks:read'] });
    const readerEnv = { env: { TASKGATE_URL: server().url, TASKGATE_TOKEN: reader.token } };
    expect((await runCli(['tasks', 'list', '--project', project.id], readerEnv)).code).toBe(0);
    const denied = await runCli(['tasks', 'create', '--project', project.id, '--title', 'Not mine to make'], readerEnv);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(
      new RegExp(
        '^taskgate: .+ \\(PERMISSION_DENIED\\): this needs the tasks:create permission ' +
          '\\(refused by token_permissions: see `taskgate auth permissions`\\)\\n$',
      ),
    );

    const slow = await tg.tokens.create({ name: 'slow', rateLimitPerMinute: 1 });
    const slowEnv = { env: { TASKGATE_URL: server().url, TASKGATE_TOKEN: slow.token } };
    expect((await runCli(['tasks', 'list', '--project', project.id, '--json'], slowEnv)).code).toBe(0);
    const started = Date.now();
    const limited = await runCli(['tasks', 'list', '--project', project.id, '--json'], slowEnv);
    expect(limited.code).toBe(1);
    expect(limited.stderr).toMatch(/^taskgate: Rate limited \(RATE_LIMITED\): retry in ([1-9]|[1-5][0-9]|60) seconds\n$/);
    // Reported at once, not waited out.
    expect(Date.now() - started).toBeLessThan(10_000);

    const unreachable = await runCli(['tasks', 'list', '--project', project.id], {
      env: { TASKGATE_URL: 'http://127.0.0.1:1', TASKGATE_TOKEN: reader.token },
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toBe('taskgate: Could not reach the server (ECONNREFUSED): is it running, and is the URL right?\n');

    await tg.tokens.revoke(reader.id);
    const revoked = await runCli(['tasks', 'show', 'tsk_any'], readerEnv);
    expect(revoked.code).toBe(4);
    expect(revoked.stderr).toMatch(/\(TOKEN_REVOKED\): sign in again with `taskgate auth login`\n$/);
  });
});
