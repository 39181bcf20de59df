import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod';
import { couldUse, type ToolContext } from './tool-kit.js';
import { WORKERS_ONLY } from './tools/task-work.js';

/** The worker loop, in words a model follows; offered only to callers that can claim tasks. */
const WORKER_LOOP = [
  'You work tasks from Taskgate through its tools.',
  '1. Call whoami once to learn your workspace and permissions.',
  '2. Call list_tasks with status "todo"{scope} to find open work; prefer higher priority and earlier due dates.',
  '3. Call claim_task on the task you pick. If it answers TASK_ALREADY_CLAIMED, another worker took it: pick another.',
  '4. Read it in full with get_task and do the work it describes.',
  '5. When done, call complete_task with a result note saying what you did and where the result is.',
  '   If you cannot finish it, call release_task so someone else can take it.',
  '6. Repeat from step 2 until list_tasks finds nothing.',
].join('\n');

// Built once per process: a zod schema per request would cost every /mcp call.
const WORK_TASKS_ARGS = { projectId: z.string().max(64).optional().describe('Only tasks of this project') };

export function registerPrompts(server: McpServer, tc: ToolContext): void {
  if (!couldUse(tc.principal, { permission: 'tasks:write', refusedKinds: WORKERS_ONLY })) return;
  server.registerPrompt(
    'work_tasks',
    {
      title: 'Work open tasks',
      description: 'Instructions for the worker loop: find open tasks, claim one, do it, complete it, repeat',
      argsSchema: WORK_TASKS_ARGS,
    },
    ({ projectId }) => ({
      messages: [
        { role: 'user', content: { type: 'text', text: WORKER_LOOP.replace('{scope}', projectId ? ` and projectId "${projectId}"` : '') } },
      ],
    }),
  );
}
