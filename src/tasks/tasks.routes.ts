import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.js';
import type { AppContext } from '../context.js';
import { Conflict, Forbidden, IdParams, ListOf, NotFound, PreconditionFailed } from '../http/schemas.js';
import { authorizeInProject, authorizeTask, authorizeTaskList, etagOf, expectedVersionOf } from './task-access.js';
import { listTasks } from './task-list.service.js';
import { loadTaskView } from './task-views.js';
import { JSON_CONTENT_TYPE, keepingSerializer } from '../http/serializer.js';
import { IfMatchHeaders, NewTaskBody, TaskListQuery, TaskPatchBody, TaskSchema } from './tasks.schemas.js';
import { createTask, deleteTask, updateTask } from './tasks.service.js';

// Reading one task is the commonest call of all: while it is unchanged its JSON is written once.
const taskJson = keepingSerializer('task JSON', TaskSchema);
// Polling a page of tasks comes next: while the page is unchanged, so is its JSON.
const TaskPage = ListOf(TaskSchema);
const taskPageJson = keepingSerializer('task page JSON', TaskPage);

// Every change to a task is refused while its project is archived.
const ARCHIVED = 'A task of an archived project answers 409 PROJECT_ARCHIVED.';

export function taskRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/tasks',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['tasks'],
          operationId: 'tasks.list',
          summary: "A project's tasks (or a workspace's), filtered, sorted and paged by cursor",
          description:
            'Give exactly one of `projectId` (one project) or `workspaceId` (every project of the workspace you may see): ' +
            'neither or both answers 400. Needs `tasks:read`. Paged by cursor: pass `nextCursor` back as `cursor` until it is null.',
          querystring: TaskListQuery,
          response: { 200: TaskPage, ...Forbidden, ...NotFound },
        },
      },
      async (request, reply) => {
        const access = await authorizeTaskList(ctx.db, principalOf(request), request.query);
        const page = await listTasks(ctx.db, access, request.query);
        // Already JSON, written by the schema's serializer (and kept while the page is unchanged).
        return reply.type(JSON_CONTENT_TYPE).send(taskPageJson(ctx.reads, page) as never);
      },
    );

    app.post(
      '/tasks',
      {
        config: { auth: 'any', etag: true },
        schema: {
          tags: ['tasks'],
          operationId: 'tasks.create',
          summary: 'Create a task in a project',
          description:
            `Needs \`tasks:create\` in the project. An unknown project, or one you cannot see, answers 404. ${ARCHIVED} ` +
            'The answer carries the new version as its ETag.',
          body: NewTaskBody,
          response: { 201: TaskSchema, ...Forbidden, ...NotFound, ...Conflict },
        },
      },
      async (request, reply) => {
        const access = await authorizeInProject(ctx.db, principalOf(request), request.body.projectId, 'tasks:create');
        const task = await createTask(ctx.db, access, request.body);
        return reply.code(201).header('etag', etagOf(task.version)).send(task);
      },
    );

    app.get(
      '/tasks/:id',
      {
        config: { auth: 'any', etag: true },
        schema: {
          tags: ['tasks'],
          operationId: 'tasks.get',
          summary: 'One task, with its version as the ETag',
          description:
            "Needs `tasks:read`; a task of a workspace you are not in answers 404, one outside a project-scoped token's " +
            'projects 403 PROJECT_OUT_OF_SCOPE.',
          params: IdParams,
          response: { 200: TaskSchema, ...Forbidden, ...NotFound },
        },
      },
      async (request, reply) => {
        const { task: row } = await authorizeTask(ctx.db, principalOf(request), request.params.id, 'tasks:read');
        const task = await loadTaskView(ctx.db, row);
        // Already JSON, written by the schema's serializer (and kept while the task is unchanged).
        return reply
          .header('etag', etagOf(task.version))
          .type(JSON_CONTENT_TYPE)
          .send(taskJson(ctx.reads, task) as never);
      },
    );

    app.patch(
      '/tasks/:id',
      {
        config: { auth: 'any', etag: true },
        schema: {
          tags: ['tasks'],
          operationId: 'tasks.update',
          summary: 'Edit or move a task; with If-Match, a stale version answers 412',
          description:
            'Needs `tasks:write`. Send the ETag (or `version`) you read in If-Match to make the edit conditional: if the ' +
            `task changed since, nothing is written and 412 PRECONDITION_FAILED gives \`currentVersion\`. ${ARCHIVED} ` +
            'Moving to another project needs one of the same workspace that is not archived. Completing (to `done`) or releasing ' +
            '(back to a not-started status) a task someone else has claimed needs `tasks:override` (recorded as `override: true` with ' +
            '`previousClaimant`), otherwise 409 TASK_CLAIMED_BY_OTHER.',
          params: IdParams,
          headers: IfMatchHeaders,
          body: TaskPatchBody,
          response: { 200: TaskSchema, ...Forbidden, ...NotFound, ...Conflict, ...PreconditionFailed },
        },
      },
      async (request, reply) => {
        const { access } = await authorizeTask(ctx.db, principalOf(request), request.params.id, 'tasks:write');
        const task = await updateTask(ctx.db, access, request.params.id, request.body, expectedVersionOf(request.headers['if-match']));
        return reply.header('etag', etagOf(task.version)).send(task);
      },
    );

    app.delete(
      '/tasks/:id',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['tasks'],
          operationId: 'tasks.delete',
          summary: 'Delete a task',
          description: `Needs \`tasks:delete\`. ${ARCHIVED} Records task.deleted with the task as it was.`,
          params: IdParams,
          response: { 204: Type.Null(), ...Forbidden, ...NotFound, ...Conflict },
        },
      },
      async (request, reply) => {
        const { access } = await authorizeTask(ctx.db, principalOf(request), request.params.id, 'tasks:delete');
        await deleteTask(ctx.db, access, request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}
