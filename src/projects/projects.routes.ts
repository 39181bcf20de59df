import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.js';
import { authorize } from '../authz/authorize.js';
import type { AppContext } from '../context.js';
import { AuthErrors, ListOf } from '../http/schemas.js';
import { getSpace } from '../spaces/spaces.service.js';
import { authorizeResource, requireWholeWorkspace } from '../tasks/access.js';
import { ResourceIdParams } from '../tasks/common.schemas.js';
import { NewProjectBody, ProjectListQuery, ProjectPatchBody, ProjectSchema } from './projects.schemas.js';
import { createProject, deleteProject, getProject, listProjects, toProjectView, updateProject } from './projects.service.js';

const location = (project: { workspace_id: string; id: string }) => ({ workspaceId: project.workspace_id, projectId: project.id });

export function projectRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/projects', {
      config: { auth: 'any' },
      schema: { tags: ['projects'], summary: "A workspace's projects, by name, optionally in one space", querystring: ProjectListQuery, response: { 200: ListOf(ProjectSchema), ...AuthErrors } },
    }, async (request) => {
      const access = await authorize(ctx.db, principalOf(request), request.query.workspaceId, 'projects:read');
      return listProjects(ctx.db, access, request.query);
    });

    app.post('/projects', {
      config: { auth: 'any' },
      schema: { tags: ['projects'], summary: 'Create a project in a space', body: NewProjectBody, response: { 201: ProjectSchema, ...AuthErrors } },
    }, async (request, reply) => {
      const space = await getSpace(ctx.db, request.body.spaceId);
      const access = await authorizeResource(ctx.db, principalOf(request), { workspaceId: space.workspace_id }, 'projects:write', 'Space');
      requireWholeWorkspace(access, 'create projects');
      return reply.code(201).send(await createProject(ctx.db, access, request.body));
    });

    app.get('/projects/:id', {
      config: { auth: 'any' },
      schema: { tags: ['projects'], summary: 'One project', params: ResourceIdParams, response: { 200: ProjectSchema, ...AuthErrors } },
    }, async (request) => {
      const project = await getProject(ctx.db, request.params.id);
      await authorizeResource(ctx.db, principalOf(request), location(project), 'projects:read', 'Project');
      return toProjectView(project);
    });

    app.patch('/projects/:id', {
      config: { auth: 'any' },
      schema: { tags: ['projects'], summary: 'Rename, describe, move, archive or restore a project', params: ResourceIdParams, body: ProjectPatchBody, response: { 200: ProjectSchema, ...AuthErrors } },
    }, async (request) => {
      const project = await getProject(ctx.db, request.params.id);
      const access = await authorizeResource(ctx.db, principalOf(request), location(project), 'projects:write', 'Project');
      return updateProject(ctx.db, access, project.id, request.body);
    });

    app.delete('/projects/:id', {
      config: { auth: 'any' },
      schema: { tags: ['projects'], summary: 'Delete a project and all its tasks', params: ResourceIdParams, response: { 204: Type.Null(), ...AuthErrors } },
    }, async (request, reply) => {
      const project = await getProject(ctx.db, request.params.id);
      const access = await authorizeResource(ctx.db, principalOf(request), location(project), 'projects:write', 'Project');
      await deleteProject(ctx.db, access, project.id);
      return reply.code(204).send(null);
    });
  };
}
