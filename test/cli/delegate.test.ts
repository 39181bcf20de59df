import { Taskgate } from '@taskgate/client';
import { expect, it } from 'vitest';
import { describeWithServer, userWithProject } from '../client/server.js';
import { runCli } from './run.js';

describeWithServer('taskgate auth delegate, tg.me.delegate and delegated tokens in `taskgate tokens list`', (server) => {
  it('prints a delegated token narrowed to the options, usable at once, and lists it under its parent', async () => {
    const { tg, project, sessionToken } = await userWithProject(server().url);
    const parent = await tg.tokens.create({ name: 'orchestrator' });
    const task = await tg.tasks.create({ projectId: project.id, title: 'Hand me off' });

    const env = { TASKGATE_URL: server().url, TASKGATE_TOKEN: parent.token };
    const args = ['auth', 'delegate', '--name', 'worker', '--permission', 'tasks:read', '--task', task.id, '--expires', '30m'];
    const minted = await runCli(args, { env });
    expect(minted.code, minted.stderr).toBe(0);
    const secret = minted.stdout.trim();
    expect(secret).toMatch(/^tgd_[0-9A-Za-z]{38}$/);
    expect(minted.stderr).toMatch(/Delegated token dtk_\S+ \(depth 1\) expires at /);

    const asChild = new Taskgate({ baseUrl: server().url, token: secret });
    expect((await asChild.tasks.get(task.id)).id).toBe(task.id);
    const refused = await asChild.tasks.update(task.id, { title: 'No' }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 403, missingPermission: 'tasks:write', refusedBy: 'delegation_scope' });

    const grandchild = await asChild.me.delegate({ expiresInSeconds: 600 });
    expect(grandchild).toMatchObject({ depth: 2, parentKind: 'delegated', rootKind: 'personal', taskId: task.id });

    const session = { TASKGATE_URL: server().url, TASKGATE_TOKEN: sessionToken };
    const list = await runCli(['tokens', 'list'], { env: session });
    expect(list.code, list.stderr).toBe(0);
    const lines = list.stdout.split('\n');
    const at = lines.findIndex((line) => line.includes('orchestrator'));
    expect(lines[at + 1]).toMatch(/└ worker\s+tgd_\w{6}…\s+delegated\s+tasks:read/);
    expect(lines[at + 2]).toContain(`└ Delegated by worker`);

    await tg.me.revokeDelegated(grandchild.id);
    const tooLong = await runCli(['auth', 'delegate', '--expires', '2d'], { env });
    expect(tooLong.code).toBe(1);
  });
});
