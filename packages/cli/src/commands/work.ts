import { TaskgateError, type Task, type TaskChanges } from '@taskgate/client';
import { Option, type Command } from 'commander';
import { CliError, EXIT } from '../lib/exit-codes.js';
import { printJson } from '../lib/output.js';
import { positiveInteger } from './options.js';
import { apiClient, inWorkspace, time, timeOrNone, withWorkspace, type WorkspaceOption } from './scope.js';
import { printTask, TASK_COLUMNS } from './task-views.js';
import { fetchList, printOne, printRows, type ListOptions } from './views.js';

const PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'] as const;
type Priority = (typeof PRIORITIES)[number];
const SORTS = [
  'position',
  '-position',
  'createdAt',
  '-createdAt',
  'updatedAt',
  '-updatedAt',
  'dueAt',
  '-dueAt',
  'priority',
  '-priority',
] as const;

const priorityOption = () => new Option('--priority <priority>', 'how urgent').choices(PRIORITIES);

interface JsonOption {
  json?: boolean;
}

interface ListTaskOptions extends WorkspaceOption, ListOptions {
  project?: string;
  status?: string;
  assignee?: string;
  label?: string;
  priority?: Priority;
  search?: string;
  dueBefore?: string;
  dueAfter?: string;
  sort?: (typeof SORTS)[number];
  limit?: number;
}

interface EditOptions extends JsonOption {
  title?: string;
  description?: string;
  status?: string;
  priority?: Priority;
  due?: string;
  project?: string;
  ifMatch?: number;
}

/** The API's one-line refusal of `code`, told in the command's own terms (`tasks show`, `--if-match`). */
async function explaining<T>(call: Promise<T>, code: string, message: (body: Record<string, unknown>) => string): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof TaskgateError && error.code === code)
      throw new CliError(`${message((error.body ?? {}) as Record<string, unknown>)} (${code})`);
    throw error;
  }
}

function claimant(body: Record<string, unknown>): string {
  const by = body.claimedBy as { type?: string; id?: string } | undefined;
  return by?.id ? `${by.type} ${by.id}` : 'someone else';
}

async function listTasks(options: ListTaskOptions): Promise<void> {
  const { tg, where } = options.project
    ? { tg: apiClient().tg, where: { projectId: options.project } }
    : await inWorkspace(options).then(({ tg, workspaceId }) => ({ tg, where: { workspaceId } }));
  const query = {
    ...where,
    ...(options.status ? { status: options.status } : {}),
    ...(options.assignee ? { assignee: options.assignee } : {}),
    ...(options.label ? { label: options.label } : {}),
    ...(options.priority ? { priority: options.priority } : {}),
    ...(options.search ? { q: options.search } : {}),
    ...(options.dueBefore ? { dueBefore: options.dueBefore } : {}),
    ...(options.dueAfter ? { dueAfter: options.dueAfter } : {}),
    ...(options.sort ? { sort: options.sort } : {}),
    ...(options.limit ? { limit: options.limit } : {}),
  };
  const tasks = await fetchList(tg.tasks.list(query), options, 'tasks');
  printRows(tasks, TASK_COLUMNS, options, 'No tasks.');
}

function editFields(options: EditOptions): TaskChanges {
  return {
    ...(options.title !== undefined ? { title: options.title } : {}),
    ...(options.description !== undefined ? { description: options.description } : {}),
    ...(options.status !== undefined ? { status: options.status } : {}),
    ...(options.priority !== undefined ? { priority: options.priority } : {}),
    ...(options.due !== undefined ? { dueAt: options.due === 'none' ? null : options.due } : {}),
    ...(options.project !== undefined ? { projectId: options.project } : {}),
  };
}

async function editTask(id: string, options: EditOptions): Promise<Task> {
  const changes = editFields(options);
  if (Object.keys(changes).length === 0)
    throw new CliError('Say what to change: --title, --description, --status, --priority, --due, --project', EXIT.usage);
  const update = apiClient().tg.tasks.update(id, changes, options.ifMatch !== undefined ? { ifMatch: options.ifMatch } : {});
  return explaining(update, 'PRECONDITION_FAILED', (body) => {
    const now = typeof body.currentVersion === 'number' ? ` (it is at version ${body.currentVersion} now)` : '';
    return `Task ${id} changed since version ${options.ifMatch}${now}: look at it with \`taskgate tasks show ${id}\`, then edit again`;
  });
}

/** `taskgate tasks …`: list, read, create, edit, claim, complete and assign tasks. */
export function workCommands(program: Command): void {
  const tasks = program.command('tasks').description('Tasks: list, show, create, edit, claim, complete, assign');

  withWorkspace(tasks.command('list').description("A project's tasks (--project) or the workspace's; one page unless --all"))
    .option('--project <id>', "this project's tasks (default: every project of the workspace)")
    .option('--status <status>', 'a status key, or several separated by commas')
    .option('--assignee <id>', 'a user or agent id, or me')
    .option('--label <id>', 'only tasks carrying this label')
    .addOption(priorityOption())
    .option('--search <text>', 'text in the title or description')
    .option('--due-before <time>', 'due before this date or time', time)
    .option('--due-after <time>', 'due after this date or time', time)
    .addOption(new Option('--sort <field>', 'a field; a leading - sorts descending (default position)').choices(SORTS))
    .option('--limit <n>', 'tasks per page, at most 200 (default 50)', positiveInteger)
    .option('--all', 'every page')
    .option('--json', 'print JSON')
    .action(listTasks);

  tasks
    .command('show <id>')
    .description('One task, with everything about it')
    .option('--json', 'print JSON')
    .action(async (id: string, options: JsonOption) => {
      const task = await apiClient().tg.tasks.get(id);
      if (options.json) printJson(task);
      else printTask(task);
    });

  tasks
    .command('create')
    .description('Create a task')
    .requiredOption('--project <id>', 'the project to create it in')
    .requiredOption('--title <text>', 'what is to be done')
    .option('--description <text>', 'details (markdown)')
    .addOption(priorityOption())
    .option('--status <status>', "a status key (default: the workspace's first)")
    .option('--due <time>', 'due date or time', time)
    .option('--json', 'print JSON')
    .action(
      async (
        options: JsonOption & { project: string; title: string; description?: string; priority?: Priority; status?: string; due?: string },
      ) => {
        const task = await apiClient().tg.tasks.create({
          projectId: options.project,
          title: options.title,
          ...(options.description !== undefined ? { description: options.description } : {}),
          ...(options.priority ? { priority: options.priority } : {}),
          ...(options.status ? { status: options.status } : {}),
          ...(options.due ? { dueAt: options.due } : {}),
        });
        printOne(task, TASK_COLUMNS, options);
      },
    );

  tasks
    .command('edit <id>')
    .description('Change a task; --if-match refuses to overwrite a change made since that version')
    .option('--title <text>', 'a new title')
    .option('--description <text>', 'a new description (markdown)')
    .option('--status <status>', 'a status key')
    .addOption(priorityOption())
    .option('--due <time>', 'a due date or time, or none', timeOrNone)
    .option('--project <id>', 'move it to this project')
    .option('--if-match <version>', 'the version you saw (tasks show): refused if it has changed since', positiveInteger)
    .option('--json', 'print JSON')
    .action(async (id: string, options: EditOptions) => printOne(await editTask(id, options), TASK_COLUMNS, options));

  tasks
    .command('claim <id>')
    .description('Claim a task for yourself (or your agent) and move it to in_progress')
    .option('--json', 'print JSON')
    .action(async (id: string, options: JsonOption) => {
      const claim = apiClient().tg.tasks.claim(id);
      printOne(
        await explaining(claim, 'TASK_ALREADY_CLAIMED', (body) => `Task ${id} is already claimed by ${claimant(body)}`),
        TASK_COLUMNS,
        options,
      );
    });

  tasks
    .command('complete <id>')
    .description('Mark a task done')
    .option('--note <text>', 'what was done (markdown)')
    .option('--json', 'print JSON')
    .action(async (id: string, options: JsonOption & { note?: string }) => {
      const task = await apiClient().tg.tasks.complete(id, options.note !== undefined ? { resultNote: options.note } : {});
      printOne(task, TASK_COLUMNS, options);
    });

  tasks
    .command('assign <id>')
    .description('Assign a member (--user) or an agent (--agent) of the workspace')
    .addOption(new Option('--user <id>', 'a member').conflicts('agent'))
    .option('--agent <id>', 'an agent')
    .option('--json', 'print JSON')
    .action(async (id: string, options: JsonOption & { user?: string; agent?: string }) => {
      const assignee = options.user ? { userId: options.user } : options.agent ? { agentId: options.agent } : null;
      if (!assignee) throw new CliError('Say whom to assign: --user <id> or --agent <id>', EXIT.usage);
      printOne(await apiClient().tg.tasks.assign(id, assignee), TASK_COLUMNS, options);
    });
}
