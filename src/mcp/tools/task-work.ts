import * as z from 'zod';
import type { WorkspaceAccess } from '../../authz/authorize.js';
import type { PrincipalKind } from '../../authz/principal.js';
import type { Db } from '../../db/database.js';
import { claimTask, releaseTask } from '../../tasks/claim.service.js';
import { completeTask } from '../../tasks/task-actions.service.js';
import { authorizeTask } from '../../tasks/task-access.js';
import type { TaskView } from '../../tasks/task-views.js';
import { CompletionFields, TaskIdArg } from '../inputs.js';
import { TaskOut } from '../outputs.js';
import { defineTool } from '../tool-kit.js';
import { taskLine } from './summaries.js';

// A workspace access token is a team key, not a worker: it can neither claim nor release (claim.service.ts).
export const WORKERS_ONLY: readonly PrincipalKind[] = ['workspace_token'];

interface TaskAction<Extra extends z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  refusedKinds?: readonly PrincipalKind[];
  idempotent: boolean;
  /** Arguments besides `taskId`. */
  extra: Extra;
  /** Past tense, for the summary: "Claimed". */
  done: string;
  act(db: Db, access: WorkspaceAccess, taskId: string, args: z.output<z.ZodObject<Extra>>): Promise<TaskView>;
}

/** A step of the worker loop on one task: authorised as its REST route (`tasks:write` on the task), then its service. */
function taskAction<Extra extends z.ZodRawShape>(action: TaskAction<Extra>) {
  return defineTool({
    name: action.name,
    title: action.title,
    description: action.description,
    permission: 'tasks:write',
    refusedKinds: action.refusedKinds,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: action.idempotent, openWorldHint: false },
    input: z.strictObject({ taskId: TaskIdArg, ...action.extra }),
    output: TaskOut,
    async run(tc, args) {
      const { taskId } = args as { taskId: string };
      const { access } = await authorizeTask(tc.ctx.db, tc.principal, taskId, 'tasks:write');
      const task = await action.act(tc.ctx.db, access, taskId, args as z.output<z.ZodObject<Extra>>);
      return { data: task, summary: `${action.done} ${taskLine(task)}.` };
    },
  });
}

export const claimTaskTool = taskAction({
  name: 'claim_task',
  title: 'Claim a task',
  description:
    'Claims a task for you and moves it to in_progress: do this before working on it, so no one else does the same ' +
    'work. If someone else claimed it first you get TASK_ALREADY_CLAIMED: leave that task and pick another. Claiming your ' +
    'own task again is safe. Returns the task.',
  refusedKinds: WORKERS_ONLY,
  idempotent: true,
  extra: {},
  done: 'Claimed',
  act: (db, access, taskId) => claimTask(db, access, taskId),
});

export const completeTaskTool = taskAction({
  name: 'complete_task',
  title: 'Complete a task',
  description:
    'Marks a task done once the work is finished, with a result note (markdown) saying what was done, where the ' +
    'result is, and anything a person should check. A task already done gives CONFLICT; one someone else claimed, ' +
    'TASK_CLAIMED_BY_OTHER. Returns the task.',
  idempotent: false,
  extra: CompletionFields,
  done: 'Completed',
  act: (db, access, taskId, { resultNote }) => completeTask(db, access, taskId, resultNote as string | undefined),
});

export const releaseTaskTool = taskAction({
  name: 'release_task',
  title: 'Release a task',
  description:
    'Gives back a task you claimed but will not finish (you are stuck, or it is not for you): it returns to the ' +
    'first status (usually todo), unclaimed and without you as assignee, so another worker can take it. If others should ' +
    'know why, add a note to its description with update_task first. Returns the task.',
  refusedKinds: WORKERS_ONLY,
  idempotent: false,
  extra: {},
  done: 'Released',
  act: (db, access, taskId) => releaseTask(db, access, taskId),
});
