import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { freePort, ROOT } from '../helpers/server-process.js';
import { describeWithServer, userWithProject } from './server.js';

const LIST_SCRIPT = path.join(ROOT, 'examples/list-open-tasks.mjs');
const RECEIVER_SCRIPT = path.join(ROOT, 'examples/webhook-receiver.mjs');

function runScript(file: string, args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [file, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, exited, output: () => output };
}

it("opens the README's Scripting section with the example script, verbatim", () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Scripting Taskgate'));
  const firstBlock = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  expect(firstBlock).toBe(fs.readFileSync(LIST_SCRIPT, 'utf8'));
  expect(section).toContain(fs.readFileSync(RECEIVER_SCRIPT, 'utf8'));
});

describeWithServer('the README examples, run as scripts against a server process', (server) => {
  it('lists the open tasks of a project with a token', async () => {
    const { tg, project } = await userWithProject(server().url);
    const todo = await tg.tasks.create({ projectId: project.id, title: 'Write docs' });
    const doing = await tg.tasks.create({ projectId: project.id, title: 'Ship client', status: 'in_progress' });
    const done = await tg.tasks.create({ projectId: project.id, title: 'Old news', status: 'done' });
    const { token } = await tg.tokens.create({ name: 'script', permissions: ['tasks:read'] });
    const run = runScript(LIST_SCRIPT, [project.id], { TASKGATE_URL: server().url, TASKGATE_TOKEN: token });
    expect(await run.exited, run.output()).toBe(0);
    const lines = run.output().trim().split('\n');
    expect(lines).toEqual([`${todo.id}  todo         Write docs`, `${doing.id}  in_progress  Ship client`]);
    expect(run.output()).not.toContain(done.id);
  });

  it('receives and verifies deliveries with the webhook receiver', async () => {
    const { tg, workspace, project } = await userWithProject(server().url);
    const port = await freePort();
    const hook = await tg.webhooks.create(workspace.id, { url: `http://127.0.0.1:${port}/`, events: ['task.created'] });
    const receiver = runScript(RECEIVER_SCRIPT, [], { PORT: String(port), TASKGATE_WEBHOOK_SECRET: hook.secret });
    try {
      const task = await tg.tasks.create({ projectId: project.id, title: 'Announce me' });
      const deadline = Date.now() + 15_000;
      while (!receiver.output().includes(`task.created ${task.id}`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(receiver.output()).toContain(`task.created ${task.id}`);
      // The server records the 204 once the answer is in: wait for that too.
      let [delivery] = await tg.deliveries.list(hook.id).all();
      while (delivery?.status === 'pending' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        [delivery] = await tg.deliveries.list(hook.id).all();
      }
      expect(delivery).toMatchObject({ status: 'succeeded', lastResponseStatus: 204 });
    } finally {
      receiver.child.kill();
      await receiver.exited;
    }
  });
});
