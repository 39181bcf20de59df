import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.js';
import { authorize } from '../authz/authorize.js';
import type { AppContext } from '../context.js';
import { AuthErrors, ListOf, StrictObject } from '../http/schemas.js';
import { requireWholeWorkspace } from './access.js';
import { ConflictErrors, NonBlankText, ResourceIdParams } from './common.schemas.js';
import { listStatuses, replaceStatuses } from './statuses.service.js';
import { StatusKey } from './tasks.schemas.js';

const StatusSchema = Type.Object({ key: Type.String(), name: Type.String() });
const StatusList = ListOf(StatusSchema);
const StatusListBody = StrictObject({
  statuses: Type.Array(StrictObject({ key: StatusKey, name: NonBlankText({ maxLength: 60 }) }), { minItems: 2, maxItems: 30 }),
});

export function taskStatusRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/workspaces/:id/task-statuses', {
      config: { auth: 'any' },
      schema: { tags: ['tasks'], summary: "The workspace's task statuses, in order (defaults: todo, in_progress, blocked, done)", params: ResourceIdParams, response: { 200: StatusList, ...AuthErrors } },
    }, async (request) => {
      await authorize(ctx.db, principalOf(request), request.params.id, 'tasks:read');
      return { items: await listStatuses(ctx.db, request.params.id), nextCursor: null };
    });

    app.put('/workspaces/:id/task-statuses', {
      config: { auth: 'any' },
      schema: {
        tags: ['tasks'],
        summary: 'Replace the status list; it must keep in_progress and done, and every status a task still uses',
        params: ResourceIdParams,
        body: StatusListBody,
        response: { 200: StatusList, ...AuthErrors, ...ConflictErrors },
      },
    }, async (request) => {
      const access = await authorize(ctx.db, principalOf(request), request.params.id, 'workspace:write');
      requireWholeWorkspace(access, 'change the status list');
      return { items: await replaceStatuses(ctx.db, access, request.body.statuses), nextCursor: null };
    });
  };
}
