import type { Static } from 'typebox';
import * as z from 'zod';
import { AppError } from '../../errors/app-error.js';
import { invalidField } from '../../errors/validation.js';
import { addLabel, assign, removeLabel, unassign, type AssigneeRef } from '../../tasks/task-actions.service.js';
import { authorizeInProject, authorizeTask } from '../../tasks/task-access.js';
import type { TaskView } from '../../tasks/task-views.js';
import type { NewTaskBody, TaskPatchBody } from '../../tasks/tasks.schemas.js';
import { createTask, updateTask } from '../../tasks/tasks.service.js';
import { IdsArg, NewTaskArgs, TaskChangeFields, TaskIdArg, VersionArg } from '../inputs.js';
import { TaskOut } from '../outputs.js';
import { defineTool } from '../tool-kit.js';
import { taskLine } from './summaries.js';
import { isAgentId, requireApplicable } from './task-update-checks.js';

export const createTaskTool = defineTool({
  name: 'create_task',
  title: 'Create a task',
  description:
    'Creates a task in a project (find the projectId with list_projects), as POST /tasks does. It starts in the ' +
    "workspace's first status (usually todo) unless you give one. Returns the new task.",
  permission: 'tasks:create',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  input: NewTaskArgs,
  output: TaskOut,
  async run(tc, args) {
    const input = args as Static<typeof NewTaskBody>;
    const access = await authorizeInProject(tc.ctx.db, tc.principal, input.projectId, 'tasks:create');
    const task = await createTask(tc.ctx.db, access, input);
    return { data: task, summary: `Created ${taskLine(task)}.` };
  },
});

function assigneeRef(id: string): AssigneeRef {
  return isAgentId(id) ? { agentId: id } : { userId: id };
}

/** A list of ids once each: naming one twice must not make its second step fail after the first applied. */
function once(ids: readonly string[] | undefined): string[] {
  return [...new Set(ids)];
}

const TaskUpdateArgs = z.strictObject({
  taskId: TaskIdArg,
  version: VersionArg,
  ...TaskChangeFields,
  addLabels: IdsArg('A label id of the workspace (lbl_…)').optional(),
  removeLabels: IdsArg('A label id on the task').optional(),
  addAssignees: IdsArg("A member's user id (usr_…) or an agent id (agt_…)").optional(),
  removeAssignees: IdsArg('An assigned user or agent id').optional(),
});

interface TaskUpdate extends Static<typeof TaskPatchBody> {
  taskId: string;
  version?: number;
  addLabels?: string[];
  removeLabels?: string[];
  addAssignees?: string[];
  removeAssignees?: string[];
}

export const updateTaskTool = defineTool({
  name: 'update_task',
  title: 'Update a task',
  description:
    'Changes a task as PATCH /tasks/{id} does (title, description, status, priority, dueAt, position, projectId to ' +
    'move it), and adds or removes labels (label ids) and assignees (user or agent ids). Give `version` (from get_task or ' +
    'list_tasks) to change it only if nobody changed it since you read it; otherwise you get PRECONDITION_FAILED with the ' +
    'current version: read it again and retry. Fields change first, then labels, then assignees; an unknown label or ' +
    'assignee refuses the whole call, changing nothing. To start work use ' +
    'claim_task, to finish it complete_task. Returns the task as it is after the change.',
  permission: 'tasks:write',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  input: TaskUpdateArgs,
  output: TaskOut,
  async run(tc, args) {
    const { taskId, version, addLabels, removeLabels, addAssignees, removeAssignees, ...changes } = args as TaskUpdate;
    const edits = {
      addLabels: once(addLabels),
      removeLabels: once(removeLabels),
      addAssignees: once(addAssignees),
      removeAssignees: once(removeAssignees),
    };
    const { db } = tc.ctx;
    const { task, access } = await authorizeTask(db, tc.principal, taskId, 'tasks:write');
    // Each step is its own service call (and transaction): every refusal a later step could give is asked first.
    await requireApplicable(db, access, task, edits);
    const fieldsChange = Object.keys(changes).length > 0;
    const linkSteps: (() => Promise<TaskView>)[] = [
      ...edits.addLabels.map((id) => () => addLabel(db, access, taskId, id)),
      ...edits.removeLabels.map((id) => () => removeLabel(db, access, taskId, id)),
      ...edits.addAssignees.map((id) => () => assign(db, access, taskId, assigneeRef(id))),
      ...edits.removeAssignees.map((id) => () => unassign(db, access, taskId, id)),
    ];
    if (!fieldsChange && linkSteps.length === 0) {
      throw invalidField('arguments', 'must say what to change: at least one field, label or assignee');
    }
    // The field edit, written first, guards its own write with the version (as If-Match does). The label
    // and assignee services take no version: without a field edit, the task as authorised above is checked.
    if (version !== undefined && !fieldsChange && task.version !== version) {
      throw new AppError('PRECONDITION_FAILED', `The task changed since version ${version}: fetch it again and retry`, {
        currentVersion: task.version,
      });
    }
    let updated = fieldsChange ? await updateTask(db, access, taskId, changes, version) : null;
    for (const step of linkSteps) updated = await step();
    return { data: updated!, summary: `Updated ${taskLine(updated!)}.` };
  },
});
