import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.js';
import { authorize } from '../authz/authorize.js';
import { authorizeById } from '../authz/authorize-by-id.js';
import type { AppContext } from '../context.js';
import { Forbidden, IdParams, ListOf, NotFound } from '../http/schemas.js';
import { SPACE } from '../spaces/spaces.service.js';
import { requireWholeWorkspace } from '../tasks/access.js';
import { NewProjectBody, ProjectListQuery, ProjectPatchBody, ProjectSchema } from './projects.schemas.js';
import { createProject, deleteProject, listProjects, PROJECT, toProjectView, updateProject } from './projects.service.js';

export function projectRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/projects',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['projects'],
          operationId: 'projects.list',
          summary: "A workspace's projects, by name, optionally in one space",
          description:
            'Needs `projects:read` in `workspaceId`. A token limited to some projects sees only those. Paged by cursor: ' +
            'pass `nextCursor` back as `cursor` until it is null.',
          querystring: ProjectListQuery,
          response: { 200: ListOf(ProjectSchema), ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        const access = await authorize(ctx.db, principalOf(request), request.query.workspaceId, 'projects:read');
        return listProjects(ctx.db, access, request.query);
      },
    );

    app.post(
      '/projects',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['projects'],
          operationId: 'projects.create',
          summary: 'Create a project in a space',
          description:
            "Needs `projects:write` in the space's workspace; a token limited to some projects cannot create one (403 " +
            'PROJECT_OUT_OF_SCOPE). An unknown space, or one you cannot see, answers 404.',
          body: NewProjectBody,
          response: { 201: ProjectSchema, ...Forbidden, ...NotFound },
        },
      },
      async (request, reply) => {
        const { access } = await authorizeById(ctx.db, principalOf(request), SPACE, request.body.spaceId, 'projects:write');
        requireWholeWorkspace(access, 'create projects');
        return reply.code(201).send(await createProject(ctx.db, access, request.body));
      },
    );

    app.get(
      '/projects/:id',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['projects'],
          operationId: 'projects.get',
          summary: 'One project',
          description:
            'Needs `projects:read`; a project of a workspace you are not in answers 404, one outside a project-scoped ' +
            "token's projects 403 PROJECT_OUT_OF_SCOPE.",
          params: IdParams,
          response: { 200: ProjectSchema, ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        const { row: project } = await authorizeById(ctx.db, principalOf(request), PROJECT, request.params.id, 'projects:read');
        return toProjectView(project);
      },
    );

    app.patch(
      '/projects/:id',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['projects'],
          operationId: 'projects.update',
          summary: 'Rename, describe, move, archive or restore a project',
          description:
            'Needs `projects:write`. `spaceId` must name a space of the same workspace (404 otherwise). Archiving ' +
            'records project.archived, restoring project.unarchived; while archived, its tasks refuse changes (409).',
          params: IdParams,
          body: ProjectPatchBody,
          response: { 200: ProjectSchema, ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        const { access, row: project } = await authorizeById(ctx.db, principalOf(request), PROJECT, request.params.id, 'projects:write');
        return updateProject(ctx.db, access, project.id, request.body);
      },
    );

    app.delete(
      '/projects/:id',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['projects'],
          operationId: 'projects.delete',
          summary: 'Delete a project and all its tasks',
          description:
            'Needs `projects:write`. Cannot be undone: every task goes with the project, each recorded as task.deleted ' +
            '(then project.deleted), so webhooks learn of every one. Archived projects may be deleted too.',
          params: IdParams,
          response: { 204: Type.Null(), ...Forbidden, ...NotFound },
        },
      },
      async (request, reply) => {
        const { access, row: project } = await authorizeById(ctx.db, principalOf(request), PROJECT, request.params.id, 'projects:write');
        await deleteProject(ctx.db, access, project.id);
        return reply.code(204).send(null);
      },
    );
  };
}
