import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.js';
import { authorize } from '../authz/authorize.js';
import { authorizeById } from '../authz/authorize-by-id.js';
import type { AppContext } from '../context.js';
import { Conflict, Forbidden, IdParams, ListOf, NotFound } from '../http/schemas.js';
import { requireWholeWorkspace } from '../tasks/access.js';
import { LabelListQuery, LabelPatchBody, LabelSchema, NewLabelBody } from './labels.schemas.js';
import { createLabel, deleteLabel, LABEL, listLabels, toLabelView, updateLabel } from './labels.service.js';

// Labels are workspace-wide: a token limited to some projects may read them but never change them.
const WHOLE_WORKSPACE = 'A token limited to some projects is refused (403 PROJECT_OUT_OF_SCOPE).';

export function labelRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/workspaces/:id/labels',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['labels'],
          operationId: 'labels.list',
          summary: "The workspace's labels, by name",
          description: 'Needs `labels:read`. Paged by cursor: pass `nextCursor` back as `cursor` until it is null.',
          params: IdParams,
          querystring: LabelListQuery,
          response: { 200: ListOf(LabelSchema), ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        await authorize(ctx.db, principalOf(request), request.params.id, 'labels:read');
        return listLabels(ctx.db, request.params.id, request.query);
      },
    );

    app.post(
      '/workspaces/:id/labels',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['labels'],
          operationId: 'labels.create',
          summary: 'Create a label (names are unique per workspace, ignoring case)',
          description: `Needs \`labels:write\`. ${WHOLE_WORKSPACE} A name already used in the workspace answers 409 CONFLICT.`,
          params: IdParams,
          body: NewLabelBody,
          response: { 201: LabelSchema, ...Forbidden, ...NotFound, ...Conflict },
        },
      },
      async (request, reply) => {
        const access = await authorize(ctx.db, principalOf(request), request.params.id, 'labels:write');
        requireWholeWorkspace(access, 'create labels');
        return reply.code(201).send(await createLabel(ctx.db, access, request.body));
      },
    );

    app.get(
      '/labels/:id',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['labels'],
          operationId: 'labels.get',
          summary: 'One label',
          description: "Needs `labels:read` in the label's workspace; a label of a workspace you are not in answers 404.",
          params: IdParams,
          response: { 200: LabelSchema, ...Forbidden, ...NotFound },
        },
      },
      async (request) => {
        const { row: label } = await authorizeById(ctx.db, principalOf(request), LABEL, request.params.id, 'labels:read');
        return toLabelView(label);
      },
    );

    app.patch(
      '/labels/:id',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['labels'],
          operationId: 'labels.update',
          summary: 'Rename or recolour a label',
          description:
            `Needs \`labels:write\`. ${WHOLE_WORKSPACE} A name another label uses answers 409 CONFLICT. Tasks show ` +
            'the new name and colour at once.',
          params: IdParams,
          body: LabelPatchBody,
          response: { 200: LabelSchema, ...Forbidden, ...NotFound, ...Conflict },
        },
      },
      async (request) => {
        const { access, row: label } = await authorizeById(ctx.db, principalOf(request), LABEL, request.params.id, 'labels:write');
        requireWholeWorkspace(access, 'change labels');
        return updateLabel(ctx.db, access, label.id, request.body);
      },
    );

    app.delete(
      '/labels/:id',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['labels'],
          operationId: 'labels.delete',
          summary: 'Delete a label and take it off every task',
          description: `Needs \`labels:write\`. ${WHOLE_WORKSPACE} Tasks that carried it lose it without a task event of their own.`,
          params: IdParams,
          response: { 204: Type.Null(), ...Forbidden, ...NotFound },
        },
      },
      async (request, reply) => {
        const { access, row: label } = await authorizeById(ctx.db, principalOf(request), LABEL, request.params.id, 'labels:write');
        requireWholeWorkspace(access, 'delete labels');
        await deleteLabel(ctx.db, access, label.id);
        return reply.code(204).send(null);
      },
    );
  };
}
