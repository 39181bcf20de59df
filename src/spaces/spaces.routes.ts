import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.js';
import { authorize } from '../authz/authorize.js';
import { authorizeById } from '../authz/authorize-by-id.js';
import type { AppContext } from '../context.js';
import { Conflict, Forbidden, IdParams, ListOf, NotFound } from '../http/schemas.js';
import { requireWholeWorkspace } from '../tasks/access.js';
import { NewSpaceBody, SpaceListQuery, SpacePatchBody, SpaceSchema } from './spaces.schemas.js';
import { createSpace, deleteSpace, listSpaces, SPACE, toSpaceView, updateSpace } from './spaces.service.js';

// Spaces are workspace-wide: a token limited to some projects may read them but never change them.
const WHOLE_WORKSPACE = 'A token limited to some projects is refused (403 PROJECT_OUT_OF_SCOPE).';

export function spaceRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/workspaces/:id/spaces',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['spaces'],
          operationId: 'spaces.list',
          summary: "The workspace's spaces, by name",
          description: 'Needs `spaces:read`. Paged by cursor: pass `nextCursor` back as `cursor` until it is null.',
          params: IdParams,
          querystring: SpaceListQuery,
          response: { 200: ListOf(SpaceSchema), ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        await authorize(ctx.db, principalOf(request), request.params.id, 'spaces:read');
        return listSpaces(ctx.db, request.params.id, request.query);
      },
    );

    app.post(
      '/workspaces/:id/spaces',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['spaces'],
          operationId: 'spaces.create',
          summary: 'Create a space',
          description: `Needs \`spaces:write\`. ${WHOLE_WORKSPACE}`,
          params: IdParams,
          body: NewSpaceBody,
          response: { 201: SpaceSchema, ...Forbidden, ...NotFound },
        },
      },
      async (request, reply) => {
        const access = await authorize(ctx.db, principalOf(request), request.params.id, 'spaces:write');
        requireWholeWorkspace(access, 'create spaces');
        return reply.code(201).send(await createSpace(ctx.db, access, request.body));
      },
    );

    app.get(
      '/spaces/:id',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['spaces'],
          operationId: 'spaces.get',
          summary: 'One space',
          description: "Needs `spaces:read` in the space's workspace; a space of a workspace you are not in answers 404.",
          params: IdParams,
          response: { 200: SpaceSchema, ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        const { row: space } = await authorizeById(ctx.db, principalOf(request), SPACE, request.params.id, 'spaces:read');
        return toSpaceView(space);
      },
    );

    app.patch(
      '/spaces/:id',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['spaces'],
          operationId: 'spaces.update',
          summary: 'Rename a space or change its description',
          description: `Needs \`spaces:write\`. ${WHOLE_WORKSPACE}`,
          params: IdParams,
          body: SpacePatchBody,
          response: { 200: SpaceSchema, ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        const { access, row: space } = await authorizeById(ctx.db, principalOf(request), SPACE, request.params.id, 'spaces:write');
        requireWholeWorkspace(access, 'change spaces');
        return updateSpace(ctx.db, access, space.id, request.body);
      },
    );

    app.delete(
      '/spaces/:id',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['spaces'],
          operationId: 'spaces.delete',
          summary: 'Delete an empty space',
          description:
            `Needs \`spaces:write\`. ${WHOLE_WORKSPACE} A space that still holds projects answers 409 CONFLICT: ` +
            'delete or move its projects first.',
          params: IdParams,
          response: { 204: Type.Null(), ...Forbidden, ...NotFound, ...Conflict },
        },
      },
      async (request, reply) => {
        const { access, row: space } = await authorizeById(ctx.db, principalOf(request), SPACE, request.params.id, 'spaces:write');
        requireWholeWorkspace(access, 'delete spaces');
        await deleteSpace(ctx.db, access, space.id);
        return reply.code(204).send(null);
      },
    );
  };
}
