import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../auth/authenticate.js';
import { authorize } from '../authz/authorize.js';
import type { AppContext } from '../context.js';
import { Conflict, Forbidden, IdParams, NotFound } from '../http/schemas.js';
import { requireWholeWorkspace } from './access.js';
import { TaskStatusList, TaskStatusListBody } from './statuses.schemas.js';
import { listStatuses, replaceStatuses } from './statuses.service.js';

export function taskStatusRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/workspaces/:id/task-statuses',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['tasks'],
          operationId: 'taskStatuses.list',
          summary: "The workspace's task statuses, in order (defaults: todo, in_progress, blocked, done)",
          description:
            'Needs `tasks:read`. New tasks start in the first status; claiming moves a task to in_progress and completing ' +
            'to done. One page holds them all (`nextCursor` is always null).',
          params: IdParams,
          response: { 200: TaskStatusList, ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        await authorize(ctx.db, principalOf(request), request.params.id, 'tasks:read');
        return { items: await listStatuses(ctx.db, request.params.id), nextCursor: null };
      },
    );

    app.put(
      '/workspaces/:id/task-statuses',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['tasks'],
          operationId: 'taskStatuses.replace',
          summary: 'Replace the status list; it must keep in_progress and done, and every status a task still uses',
          description:
            'Needs `workspace:write`; a token limited to some projects is refused (403). Dropping a status some task ' +
            'still has answers 409 CONFLICT naming them (`statusesInUse`): move those tasks first. Records workspace.updated.',
          params: IdParams,
          body: TaskStatusListBody,
          response: { 200: TaskStatusList, ...Forbidden, ...NotFound, ...Conflict },
        },
      },
      async (request) => {
        const access = await authorize(ctx.db, principalOf(request), request.params.id, 'workspace:write');
        requireWholeWorkspace(access, 'change the status list');
        return { items: await replaceStatuses(ctx.db, access, request.body.statuses), nextCursor: null };
      },
    );
  };
}
