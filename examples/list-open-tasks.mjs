import { Taskgate } from '@taskgate/client';

const tg = new Taskgate({ baseUrl: process.env.TASKGATE_URL, token: process.env.TASKGATE_TOKEN });
for await (const task of tg.tasks.list({ projectId: process.argv[2], status: 'todo,in_progress' })) {
  console.log(`${task.id}  ${task.status.padEnd(11)}  ${task.title}`);
}
