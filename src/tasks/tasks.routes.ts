import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.js';
import type { AppContext } from '../context.js';
import { AuthErrors, ErrorResponse, ListOf } from '../http/schemas.js';
import { ConflictErrors, ResourceIdParams } from './common.schemas.js';
import { authorizeInProject, authorizeTask, authorizeTaskList, etagOf, expectedVersionOf } from './task-access.js';
import { listTasks } from './task-list.service.js';
import { loadTaskView } from './task-views.js';
import { JSON_CONTENT_TYPE, keepingSerializer } from '../http/serializer.js';
import { IfMatchHeaders, NewTaskBody, TaskListQuery, TaskPatchBody, TaskSchema } from './tasks.schemas.js';
import { createTask, deleteTask, updateTask } from './tasks.service.js';

// Reading one task is the commonest call of all: while it is unchanged its JSON is written once.
const taskJson = keepingSerializer(TaskSchema);

export function taskRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/tasks', {
      config: { auth: 'any' },
      schema: {
        tags: ['tasks'],
        summary: "A project's tasks (or a workspace's), filtered, sorted and paged by cursor",
        querystring: TaskListQuery,
        response: { 200: ListOf(TaskSchema), ...AuthErrors },
      },
    }, async (request) => {
      const access = await authorizeTaskList(ctx.db, principalOf(request), request.query);
      return listTasks(ctx.db, access, request.query);
    });

    app.post('/tasks', {
      config: { auth: 'any' },
      schema: { tags: ['tasks'], summary: 'Create a task in a project', body: NewTaskBody, response: { 201: TaskSchema, ...AuthErrors, ...ConflictErrors } },
    }, async (request, reply) => {
      const access = await authorizeInProject(ctx.db, principalOf(request), request.body.projectId, 'tasks:create');
      const task = await createTask(ctx.db, access, request.body);
      return reply.code(201).header('etag', etagOf(task.version)).send(task);
    });

    app.get('/tasks/:id', {
      config: { auth: 'any' },
      schema: { tags: ['tasks'], summary: 'One task, with its version as the ETag', params: ResourceIdParams, response: { 200: TaskSchema, ...AuthErrors } },
    }, async (request, reply) => {
      const { task: row } = await authorizeTask(ctx.db, principalOf(request), request.params.id, 'tasks:read');
      const task = await loadTaskView(ctx.db, row);
      // Already JSON, written by the schema's serializer (and kept while the task is unchanged).
      return reply.header('etag', etagOf(task.version)).type(JSON_CONTENT_TYPE).send(taskJson(task) as never);
    });

    app.patch('/tasks/:id', {
      config: { auth: 'any' },
      schema: {
        tags: ['tasks'],
        summary: 'Edit or move a task; with If-Match, a stale version answers 412',
        params: ResourceIdParams,
        headers: IfMatchHeaders,
        body: TaskPatchBody,
        response: { 200: TaskSchema, ...AuthErrors, ...ConflictErrors, 412: ErrorResponse },
      },
    }, async (request, reply) => {
      const { access } = await authorizeTask(ctx.db, principalOf(request), request.params.id, 'tasks:write');
      const task = await updateTask(ctx.db, access, request.params.id, request.body, expectedVersionOf(request.headers['if-match']));
      return reply.header('etag', etagOf(task.version)).send(task);
    });

    app.delete('/tasks/:id', {
      config: { auth: 'any' },
      schema: { tags: ['tasks'], summary: 'Delete a task', params: ResourceIdParams, response: { 204: Type.Null(), ...AuthErrors, ...ConflictErrors } },
    }, async (request, reply) => {
      const { access } = await authorizeTask(ctx.db, principalOf(request), request.params.id, 'tasks:delete');
      await deleteTask(ctx.db, access, request.params.id);
      return reply.code(204).send(null);
    });
  };
}
