import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.js';
import type { AppContext } from '../context.js';
import { Conflict, Forbidden, IdParams, NotFound } from '../http/schemas.js';
import { claimTask, releaseTask } from './claim.service.js';
import { authorizeTask } from './task-access.js';
import { addLabel, assign, completeTask, removeLabel, unassign } from './task-actions.service.js';
import { AssigneeBody, AssigneeParams, ClaimBody, CompleteBody, LabelBody, TaskLabelParams, TaskSchema } from './tasks.schemas.js';

// Every action changes the task, so each may meet an archived project (409 PROJECT_ARCHIVED).
const TaskResponse = { 200: TaskSchema, ...Forbidden, ...NotFound, ...Conflict };
const Removed = { 204: Type.Null(), ...Forbidden, ...NotFound, ...Conflict };
const WRITE = 'Needs `tasks:write`; a task of an archived project answers 409 PROJECT_ARCHIVED.';
const CLAIMED =
  'While someone else holds the claim (and the task is not done), only a caller with `tasks:override` may do it ' +
  '(its event then carries `override: true` and `previousClaimant`); anyone else gets 409 TASK_CLAIMED_BY_OTHER with `claimedBy`.';

export function taskActionRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/tasks/:id/assignees',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['tasks'],
          operationId: 'tasks.assign',
          summary: 'Assign a workspace member ({userId}) or agent ({agentId})',
          description:
            `${WRITE} Someone who is not a member (or agent) of the workspace answers 400 ASSIGNEE_NOT_MEMBER. ` +
            'Assigning someone already assigned changes nothing and records no event. Answers the task.',
          params: IdParams,
          body: AssigneeBody,
          response: TaskResponse,
        },
      },
      async (request) => {
        const { access } = await authorizeTask(ctx.db, principalOf(request), request.params.id, 'tasks:write');
        return assign(ctx.db, access, request.params.id, request.body);
      },
    );

    app.delete(
      '/tasks/:id/assignees/:assigneeId',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['tasks'],
          operationId: 'tasks.unassign',
          summary: 'Unassign a user or agent (and release their claim)',
          description: `${WRITE} Someone not assigned to the task answers 404. Unassigning the claimant releases the claim: ${CLAIMED}`,
          params: AssigneeParams,
          response: Removed,
        },
      },
      async (request, reply) => {
        const { access } = await authorizeTask(ctx.db, principalOf(request), request.params.id, 'tasks:write');
        await unassign(ctx.db, access, request.params.id, request.params.assigneeId);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/tasks/:id/labels',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['tasks'],
          operationId: 'tasks.addLabel',
          summary: 'Put a label of the workspace on the task',
          description: `${WRITE} A label of another workspace answers 404; a label the task already has changes nothing. Answers the task.`,
          params: IdParams,
          body: LabelBody,
          response: TaskResponse,
        },
      },
      async (request) => {
        const { access } = await authorizeTask(ctx.db, principalOf(request), request.params.id, 'tasks:write');
        return addLabel(ctx.db, access, request.params.id, request.body.labelId);
      },
    );

    app.delete(
      '/tasks/:id/labels/:labelId',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['tasks'],
          operationId: 'tasks.removeLabel',
          summary: 'Take a label off the task',
          description: `${WRITE} A label the task does not carry answers 404.`,
          params: TaskLabelParams,
          response: Removed,
        },
      },
      async (request, reply) => {
        const { access } = await authorizeTask(ctx.db, principalOf(request), request.params.id, 'tasks:write');
        await removeLabel(ctx.db, access, request.params.id, request.params.labelId);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/tasks/:id/claim',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['tasks'],
          operationId: 'tasks.claim',
          summary: 'Claim the task for yourself (or your agent) and move it to in_progress; 409 if someone else has it',
          description:
            'Needs `tasks:write`, as a user or an agent: a workspace access token cannot claim (403). Of concurrent claims ' +
            'exactly one wins; the others get 409 TASK_ALREADY_CLAIMED with `claimedBy`. A done task answers 409 CONFLICT. ' +
            'Claiming your own claimed task again is safe: it resumes it (back to in_progress) or changes nothing.',
          params: IdParams,
          body: ClaimBody,
          response: TaskResponse,
        },
      },
      async (request) => {
        const { access } = await authorizeTask(ctx.db, principalOf(request), request.params.id, 'tasks:write');
        return claimTask(ctx.db, access, request.params.id);
      },
    );

    app.post(
      '/tasks/:id/release',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['tasks'],
          operationId: 'tasks.release',
          summary: 'Give back a task you claimed: it returns to the first status, unclaimed and without you as assignee',
          description:
            'Needs `tasks:write`, as the user or agent who claimed it (a workspace access token cannot, 403). ' +
            `${CLAIMED} A task not claimed or already done answers 409 CONFLICT. Records task.released.`,
          params: IdParams,
          body: ClaimBody,
          response: TaskResponse,
        },
      },
      async (request) => {
        const { access } = await authorizeTask(ctx.db, principalOf(request), request.params.id, 'tasks:write');
        return releaseTask(ctx.db, access, request.params.id);
      },
    );

    app.post(
      '/tasks/:id/complete',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['tasks'],
          operationId: 'tasks.complete',
          summary: 'Move the task to done, with an optional result note',
          description: `${WRITE} A task already done answers 409 CONFLICT. ${CLAIMED} Records task.completed.`,
          params: IdParams,
          body: CompleteBody,
          response: TaskResponse,
        },
      },
      async (request) => {
        const { access } = await authorizeTask(ctx.db, principalOf(request), request.params.id, 'tasks:write');
        return completeTask(ctx.db, access, request.params.id, request.body.resultNote);
      },
    );
  };
}
