import type { Static } from 'typebox';
import { authorizeTask, authorizeTaskList } from '../../tasks/task-access.js';
import { listTasks } from '../../tasks/task-list.service.js';
import { loadTaskView } from '../../tasks/task-views.js';
import type { TaskListQuery } from '../../tasks/tasks.schemas.js';
import { TaskIdArg, TaskListArgs } from '../inputs.js';
import { TaskOut, TaskPageOut } from '../outputs.js';
import * as z from 'zod';
import { defineTool, READ_ONLY } from '../tool-kit.js';
import { chosenWorkspace } from '../workspace-choice.js';
import { excerpt, pageSummary, taskLine } from './summaries.js';

export const listTasksTool = defineTool({
  name: 'list_tasks',
  title: 'List tasks',
  description:
    'Finds tasks, filtered and paged (the filters of GET /tasks). To find work: status "todo" (and assignee "me" ' +
    'for work given to you). Give projectId for one project, or workspaceId (or neither: your workspace) for every project ' +
    'you can see. Filters: status (one key, or several comma-separated), assignee (a user or agent id, or "me"), label ' +
    '(a label id), priority, q (text in the title or description), dueBefore/dueAfter; sort. Returns { items, nextCursor }.',
  permission: 'tasks:read',
  annotations: READ_ONLY,
  input: TaskListArgs,
  output: TaskPageOut,
  async run(tc, args) {
    const { projectId, workspaceId, ...filters } = args as Static<typeof TaskListQuery>;
    // Both given is refused by authorizeTaskList, as on GET /tasks; only a missing workspaceId is defaulted.
    const where = projectId !== undefined ? { projectId, workspaceId } : { workspaceId: await chosenWorkspace(tc, workspaceId) };
    const access = await authorizeTaskList(tc.ctx.db, tc.principal, where);
    const page = await listTasks(tc.ctx.db, access, { ...filters, projectId });
    return { data: page, summary: pageSummary('task', page.items.map(taskLine), page.nextCursor) };
  },
});

export const getTaskTool = defineTool({
  name: 'get_task',
  title: 'Get a task',
  description:
    'Reads one task in full: title, description (markdown), status, priority, due date, assignees, labels, who ' +
    'claimed it, its result note, and its version (pass that to update_task to guard an edit).',
  permission: 'tasks:read',
  annotations: READ_ONLY,
  input: z.strictObject({ taskId: TaskIdArg }),
  output: TaskOut,
  async run(tc, args) {
    const { task } = await authorizeTask(tc.ctx.db, tc.principal, args.taskId as string, 'tasks:read');
    const view = await loadTaskView(tc.ctx.db, task);
    return { data: view, summary: `${taskLine(view)}${view.description ? `\n${excerpt(view.description)}` : ''}` };
  },
});
