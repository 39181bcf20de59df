import { authorize } from '../../authz/authorize.js';
import { listProjects } from '../../projects/projects.service.js';
import { ProjectListArgs } from '../inputs.js';
import { ProjectPageOut } from '../outputs.js';
import { defineTool, READ_ONLY } from '../tool-kit.js';
import { chosenWorkspace } from '../workspace-choice.js';
import { pageSummary } from './summaries.js';

export const listProjectsTool = defineTool({
  name: 'list_projects',
  title: 'List projects',
  description:
    'Lists the projects of a workspace by name (archived ones only with includeArchived; spaceId for one space). ' +
    'Use it to find the projectId to list tasks in or create a task in. A token limited to some projects sees only ' +
    'those. Returns { items, nextCursor }.',
  permission: 'projects:read',
  annotations: READ_ONLY,
  input: ProjectListArgs,
  output: ProjectPageOut,
  async run(tc, { workspaceId, ...opts }) {
    const access = await authorize(tc.ctx.db, tc.principal, await chosenWorkspace(tc, workspaceId as string | undefined), 'projects:read');
    const page = await listProjects(tc.ctx.db, access, opts);
    const lines = page.items.map((p) => `${p.id} "${p.name}"${p.archived ? ' (archived)' : ''}`);
    return { data: page, summary: pageSummary('project', lines, page.nextCursor) };
  },
});
