import type { FastifyInstance } from 'fastify';
import type { AppContext } from './context.js';
import { workspaceTokenRoutes } from './workspace-tokens/workspace-tokens.routes.js';
import { agentRoutes } from './agents/agents.routes.js';
import { auditRoutes } from './audit/audit.routes.js';
import { authRoutes } from './auth/auth.routes.js';
import { eventRoutes } from './events/events.routes.js';
import { eventStreamRoutes } from './events/events-stream.routes.js';
import { labelRoutes } from './labels/labels.routes.js';
import { mcpRoutes } from './mcp/mcp.routes.js';
import { projectRoutes } from './projects/projects.routes.js';
import { spaceRoutes } from './spaces/spaces.routes.js';
import { taskStatusRoutes } from './tasks/statuses.routes.js';
import { taskActionRoutes } from './tasks/task-actions.routes.js';
import { taskRoutes } from './tasks/tasks.routes.js';
import { sessionRoutes } from './sessions/sessions.routes.js';
import { catalogueRoutes, healthRoutes } from './system/system.routes.js';
import { personalTokenRoutes } from './personal-tokens/personal-tokens.routes.js';
import { tokenLeakRoutes } from './token-leaks/token-leaks.routes.js';
import { delegationRoutes } from './delegation/delegation.routes.js';
import { tokenUsageRoutes } from './token-usage/token-usage.routes.js';
import { tokenInventoryRoutes } from './token-inventory/token-inventory.routes.js';
import { userRoutes } from './users/users.routes.js';
import { mePermissionRoutes } from './authz/me-permissions.routes.js';
import { memberRoutes } from './workspaces/members.routes.js';
import { invitationRoutes } from './workspaces/invitations.routes.js';
import { workspaceRoutes } from './workspaces/workspaces.routes.js';
import { deliveryRoutes } from './webhooks/deliveries.routes.js';
import { webhookRoutes } from './webhooks/webhooks.routes.js';
import { webUiRoutes } from './web-ui/web-ui.routes.js';

/** Every domain's routes, mounted under /api/v1 (the probes and the web UI outside it). A new domain adds one line here. */
export async function registerRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(healthRoutes(ctx));
  await app.register(
    async (api) => {
      await api.register(catalogueRoutes());
      await api.register(authRoutes(ctx));
      await api.register(userRoutes(ctx));
      await api.register(mePermissionRoutes(ctx));
      await api.register(sessionRoutes(ctx));
      await api.register(workspaceRoutes(ctx));
      await api.register(memberRoutes(ctx));
      await api.register(invitationRoutes(ctx));
      await api.register(eventRoutes(ctx));
      await api.register(eventStreamRoutes(ctx));
      await api.register(spaceRoutes(ctx));
      await api.register(projectRoutes(ctx));
      await api.register(labelRoutes(ctx));
      await api.register(taskStatusRoutes(ctx));
      await api.register(taskRoutes(ctx));
      await api.register(taskActionRoutes(ctx));
      await api.register(workspaceTokenRoutes(ctx));
      await api.register(agentRoutes(ctx));
      await api.register(personalTokenRoutes(ctx));
      await api.register(tokenLeakRoutes(ctx));
      await api.register(delegationRoutes(ctx));
      await api.register(tokenUsageRoutes(ctx));
      await api.register(tokenInventoryRoutes(ctx));
      await api.register(auditRoutes(ctx));
      await api.register(webhookRoutes(ctx));
      await api.register(deliveryRoutes(ctx));
    },
    { prefix: '/api/v1' },
  );
  await app.register(mcpRoutes(ctx));
  await app.register(webUiRoutes(ctx));
}
