import type { Static } from 'typebox';
import { listAgents } from '../../agents/agents.service.js';
import { hygieneRule } from '../../credentials/hygiene.js';
import { authorize } from '../../authz/authorize.js';
import { withDelegations } from '../../delegation/delegation.service.js';
import type { EventListQuery } from '../../events/events.schemas.js';
import { listEvents } from '../../events/events.service.js';
import { AgentListArgs, EventListArgs } from '../inputs.js';
import { AgentPageOut, EventPageOut } from '../outputs.js';
import { defineTool, READ_ONLY } from '../tool-kit.js';
import { chosenWorkspace } from '../workspace-choice.js';
import { pageSummary } from './summaries.js';

type WorkspacePage = { workspaceId?: string; cursor?: string; limit?: number };

export const listAgentsTool = defineTool({
  name: 'list_agents',
  title: 'List agents',
  description:
    'Lists the agents registered in a workspace, newest first, with when each last used its token. Use it to ' +
    'find an agent id to assign a task to, or to see which other agents work here. Returns { items, nextCursor }.',
  permission: 'agents:read',
  annotations: READ_ONLY,
  input: AgentListArgs,
  output: AgentPageOut,
  async run(tc, args) {
    const { workspaceId, cursor, limit } = args as WorkspacePage;
    const chosen = await chosenWorkspace(tc, workspaceId);
    await authorize(tc.ctx.db, tc.principal, chosen, 'agents:read');
    const listed = await listAgents(tc.ctx.db, tc.ctx.usage, hygieneRule(tc.ctx.config), chosen, { limit: limit ?? 50, cursor });
    // The REST answer's shape, delegated tokens included.
    const page = await withDelegations(tc.ctx.db, tc.ctx.usage, 'agent', listed);
    return {
      data: page,
      summary: pageSummary(
        'agent',
        page.items.map((a) => `${a.id} "${a.name}"`),
        page.nextCursor,
      ),
    };
  },
});

export const listEventsTool = defineTool({
  name: 'list_events',
  title: 'List recent activity',
  description:
    'Lists what happened recently in a workspace, newest first: tasks created, claimed, completed, projects ' +
    'changed… each with who did it (a user, an agent or a workspace token). Filter with `type`, e.g. task.completed. ' +
    'Returns { items, nextCursor }.',
  permission: 'events:read',
  annotations: READ_ONLY,
  input: EventListArgs,
  output: EventPageOut,
  async run(tc, args) {
    const { workspaceId, limit, ...filters } = args as WorkspacePage & Static<typeof EventListQuery>;
    const chosen = await chosenWorkspace(tc, workspaceId);
    const access = await authorize(tc.ctx.db, tc.principal, chosen, 'events:read');
    const page = await listEvents(tc.ctx.db, chosen, { ...filters, limit: limit ?? 50, projectIds: access.projectIds });
    const lines = page.items.map((e) => `${e.createdAt} ${e.type} ${e.resourceId} by ${e.actor.type} ${e.actor.id}`);
    return { data: page, summary: pageSummary('event', lines, page.nextCursor) };
  },
});
