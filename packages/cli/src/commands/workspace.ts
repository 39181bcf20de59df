import type { Project } from '@taskgate/client';
import type { Command } from 'commander';
import type { Column } from '../lib/output.js';
import { accessTokenCommands } from './access-tokens.js';
import { agentCommands } from './agents.js';
import { eventCommands } from './events.js';
import { inWorkspace, when, withWorkspace, type WorkspaceOption } from './scope.js';
import { printRows } from './views.js';
import { tokenInventoryCommands } from './token-inventory.js';
import { webhookCommands } from './webhooks.js';

const PROJECT_COLUMNS: Array<Column<Project>> = [
  { header: 'id', value: (p) => p.id },
  { header: 'name', value: (p) => p.name },
  { header: 'space', value: (p) => p.spaceId },
  { header: 'state', value: (p) => (p.archived ? 'archived' : 'active') },
  { header: 'updated', value: (p) => when(p.updatedAt) },
];

function projectCommands(program: Command): void {
  const projects = program.command('projects').description("A workspace's projects");
  withWorkspace(projects.command('list').description("The workspace's projects, by name"))
    .option('--all', 'include archived projects')
    .option('--json', 'print JSON')
    .action(async (options: WorkspaceOption & { all?: boolean; json?: boolean }) => {
      const { tg, workspaceId } = await inWorkspace(options);
      const list = await tg.projects.list({ workspaceId, ...(options.all ? { includeArchived: true } : {}) }).all();
      printRows(list, PROJECT_COLUMNS, options, options.all ? 'No projects.' : 'No active projects (--all includes archived ones).');
    });
}

/**
 * The workspace families: access tokens, agents, the token inventory, projects, webhooks and events. Each command takes
 * the workspace from --workspace, TASKGATE_WORKSPACE, or a workspace or agent token's own.
 */
export function workspaceCommands(program: Command): void {
  accessTokenCommands(program);
  agentCommands(program);
  tokenInventoryCommands(program);
  projectCommands(program);
  webhookCommands(program);
  eventCommands(program);
}
