import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.js';
import { authorize } from '../authz/authorize.js';
import type { AppContext } from '../context.js';
import { AuthErrors, ListOf } from '../http/schemas.js';
import { authorizeResource, requireWholeWorkspace } from '../tasks/access.js';
import { ConflictErrors, ResourceIdParams } from '../tasks/common.schemas.js';
import { NewSpaceBody, SpaceListQuery, SpacePatchBody, SpaceSchema } from './spaces.schemas.js';
import { createSpace, deleteSpace, getSpace, listSpaces, toSpaceView, updateSpace } from './spaces.service.js';

const location = (space: { workspace_id: string }) => ({ workspaceId: space.workspace_id });

export function spaceRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/workspaces/:id/spaces', {
      config: { auth: 'any' },
      schema: { tags: ['spaces'], summary: "The workspace's spaces, by name", params: ResourceIdParams, querystring: SpaceListQuery, response: { 200: ListOf(SpaceSchema), ...AuthErrors } },
    }, async (request) => {
      await authorize(ctx.db, principalOf(request), request.params.id, 'spaces:read');
      return listSpaces(ctx.db, request.params.id, request.query);
    });

    app.post('/workspaces/:id/spaces', {
      config: { auth: 'any' },
      schema: { tags: ['spaces'], summary: 'Create a space', params: ResourceIdParams, body: NewSpaceBody, response: { 201: SpaceSchema, ...AuthErrors } },
    }, async (request, reply) => {
      const access = await authorize(ctx.db, principalOf(request), request.params.id, 'spaces:write');
      requireWholeWorkspace(access, 'create spaces');
      return reply.code(201).send(await createSpace(ctx.db, access, request.body));
    });

    app.get('/spaces/:id', {
      config: { auth: 'any' },
      schema: { tags: ['spaces'], summary: 'One space', params: ResourceIdParams, response: { 200: SpaceSchema, ...AuthErrors } },
    }, async (request) => {
      const space = await getSpace(ctx.db, request.params.id);
      await authorizeResource(ctx.db, principalOf(request), location(space), 'spaces:read', 'Space');
      return toSpaceView(space);
    });

    app.patch('/spaces/:id', {
      config: { auth: 'any' },
      schema: { tags: ['spaces'], summary: 'Rename a space or change its description', params: ResourceIdParams, body: SpacePatchBody, response: { 200: SpaceSchema, ...AuthErrors } },
    }, async (request) => {
      const space = await getSpace(ctx.db, request.params.id);
      const access = await authorizeResource(ctx.db, principalOf(request), location(space), 'spaces:write', 'Space');
      requireWholeWorkspace(access, 'change spaces');
      return updateSpace(ctx.db, access, space.id, request.body);
    });

    app.delete('/spaces/:id', {
      config: { auth: 'any' },
      schema: { tags: ['spaces'], summary: 'Delete an empty space', params: ResourceIdParams, response: { 204: Type.Null(), ...AuthErrors, ...ConflictErrors } },
    }, async (request, reply) => {
      const space = await getSpace(ctx.db, request.params.id);
      const access = await authorizeResource(ctx.db, principalOf(request), location(space), 'spaces:write', 'Space');
      requireWholeWorkspace(access, 'delete spaces');
      await deleteSpace(ctx.db, access, space.id);
      return reply.code(204).send(null);
    });
  };
}
