import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.js';
import { authorize } from '../authz/authorize.js';
import type { AppContext } from '../context.js';
import { AuthErrors, ListOf } from '../http/schemas.js';
import { authorizeResource, requireWholeWorkspace } from '../tasks/access.js';
import { ConflictErrors, ResourceIdParams } from '../tasks/common.schemas.js';
import { LabelListQuery, LabelPatchBody, LabelSchema, NewLabelBody } from './labels.schemas.js';
import { createLabel, deleteLabel, getLabel, listLabels, toLabelView, updateLabel } from './labels.service.js';

const location = (label: { workspace_id: string }) => ({ workspaceId: label.workspace_id });

export function labelRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/workspaces/:id/labels', {
      config: { auth: 'any' },
      schema: { tags: ['labels'], summary: "The workspace's labels, by name", params: ResourceIdParams, querystring: LabelListQuery, response: { 200: ListOf(LabelSchema), ...AuthErrors } },
    }, async (request) => {
      await authorize(ctx.db, principalOf(request), request.params.id, 'labels:read');
      return listLabels(ctx.db, request.params.id, request.query);
    });

    app.post('/workspaces/:id/labels', {
      config: { auth: 'any' },
      schema: { tags: ['labels'], summary: 'Create a label (names are unique per workspace, ignoring case)', params: ResourceIdParams, body: NewLabelBody, response: { 201: LabelSchema, ...AuthErrors, ...ConflictErrors } },
    }, async (request, reply) => {
      const access = await authorize(ctx.db, principalOf(request), request.params.id, 'labels:write');
      requireWholeWorkspace(access, 'create labels');
      return reply.code(201).send(await createLabel(ctx.db, access, request.body));
    });

    app.get('/labels/:id', {
      config: { auth: 'any' },
      schema: { tags: ['labels'], summary: 'One label', params: ResourceIdParams, response: { 200: LabelSchema, ...AuthErrors } },
    }, async (request) => {
      const label = await getLabel(ctx.db, request.params.id);
      await authorizeResource(ctx.db, principalOf(request), location(label), 'labels:read', 'Label');
      return toLabelView(label);
    });

    app.patch('/labels/:id', {
      config: { auth: 'any' },
      schema: { tags: ['labels'], summary: 'Rename or recolour a label', params: ResourceIdParams, body: LabelPatchBody, response: { 200: LabelSchema, ...AuthErrors, ...ConflictErrors } },
    }, async (request) => {
      const label = await getLabel(ctx.db, request.params.id);
      const access = await authorizeResource(ctx.db, principalOf(request), location(label), 'labels:write', 'Label');
      requireWholeWorkspace(access, 'change labels');
      return updateLabel(ctx.db, access, label.id, request.body);
    });

    app.delete('/labels/:id', {
      config: { auth: 'any' },
      schema: { tags: ['labels'], summary: 'Delete a label and take it off every task', params: ResourceIdParams, response: { 204: Type.Null(), ...AuthErrors } },
    }, async (request, reply) => {
      const label = await getLabel(ctx.db, request.params.id);
      const access = await authorizeResource(ctx.db, principalOf(request), location(label), 'labels:write', 'Label');
      requireWholeWorkspace(access, 'delete labels');
      await deleteLabel(ctx.db, access, label.id);
      return reply.code(204).send(null);
    });
  };
}
