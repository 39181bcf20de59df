import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.js';
import type { AppContext } from '../context.js';
import { AuthErrors } from '../http/schemas.js';
import { claimTask } from './claim.service.js';
import { ConflictErrors, ResourceIdParams } from './common.schemas.js';
import { authorizeTask } from './task-access.js';
import { addLabel, assign, completeTask, removeLabel, unassign } from './task-actions.service.js';
import { AssigneeBody, AssigneeParams, CompleteBody, EmptyBody, LabelBody, TaskLabelParams, TaskSchema } from './tasks.schemas.js';

const TaskResponse = { 200: TaskSchema, ...AuthErrors, ...ConflictErrors };
/** These actions need no body: a missing one counts as `{}`, while unknown fields in a sent one are refused. */
async function omittedBodyIsEmpty(request: FastifyRequest): Promise<void> {
  request.body ??= {};
}

export function taskActionRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post('/tasks/:id/assignees', {
      config: { auth: 'any' },
      schema: { tags: ['tasks'], summary: 'Assign a workspace member ({userId}) or agent ({agentId})', params: ResourceIdParams, body: AssigneeBody, response: TaskResponse },
    }, async (request) => {
      const { access } = await authorizeTask(ctx.db, principalOf(request), request.params.id, 'tasks:write');
      return assign(ctx.db, access, request.params.id, request.body);
    });

    app.delete('/tasks/:id/assignees/:assigneeId', {
      config: { auth: 'any' },
      schema: { tags: ['tasks'], summary: 'Unassign a user or agent (and release their claim)', params: AssigneeParams, response: { 204: Type.Null(), ...AuthErrors, ...ConflictErrors } },
    }, async (request, reply) => {
      const { access } = await authorizeTask(ctx.db, principalOf(request), request.params.id, 'tasks:write');
      await unassign(ctx.db, access, request.params.id, request.params.assigneeId);
      return reply.code(204).send(null);
    });

    app.post('/tasks/:id/labels', {
      config: { auth: 'any' },
      schema: { tags: ['tasks'], summary: 'Put a label of the workspace on the task', params: ResourceIdParams, body: LabelBody, response: TaskResponse },
    }, async (request) => {
      const { access } = await authorizeTask(ctx.db, principalOf(request), request.params.id, 'tasks:write');
      return addLabel(ctx.db, access, request.params.id, request.body.labelId);
    });

    app.delete('/tasks/:id/labels/:labelId', {
      config: { auth: 'any' },
      schema: { tags: ['tasks'], summary: 'Take a label off the task', params: TaskLabelParams, response: { 204: Type.Null(), ...AuthErrors } },
    }, async (request, reply) => {
      const { access } = await authorizeTask(ctx.db, principalOf(request), request.params.id, 'tasks:write');
      await removeLabel(ctx.db, access, request.params.id, request.params.labelId);
      return reply.code(204).send(null);
    });

    app.post('/tasks/:id/claim', {
      config: { auth: 'any' },
      schema: {
        tags: ['tasks'],
        summary: 'Claim the task for yourself (or your agent) and move it to in_progress; 409 if someone else has it',
        params: ResourceIdParams,
        body: EmptyBody,
        response: TaskResponse,
      },
      preValidation: omittedBodyIsEmpty,
    }, async (request) => {
      const { access } = await authorizeTask(ctx.db, principalOf(request), request.params.id, 'tasks:write');
      return claimTask(ctx.db, access, request.params.id);
    });

    app.post('/tasks/:id/complete', {
      config: { auth: 'any' },
      schema: { tags: ['tasks'], summary: 'Move the task to done, with an optional result note', params: ResourceIdParams, body: CompleteBody, response: TaskResponse },
      preValidation: omittedBodyIsEmpty,
    }, async (request) => {
      const { access } = await authorizeTask(ctx.db, principalOf(request), request.params.id, 'tasks:write');
      return completeTask(ctx.db, access, request.params.id, request.body.resultNote);
    });
  };
}
