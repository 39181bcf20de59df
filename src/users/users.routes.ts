import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.js';
import { requireInstanceAdmin } from '../authz/authorize.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors/app-error.js';
import { AuthErrors, IdParams, Nullable } from '../http/schemas.js';
import { describeCaller } from './me.js';
import { JSON_CONTENT_TYPE, keepingSerializer } from '../http/serializer.js';
import { UserSchema } from './users.schemas.js';
import { setUserBlocked, toPublicUser } from './users.service.js';

const MeSchema = Type.Object({
  id: Nullable(Type.String()),
  email: Nullable(Type.String()),
  name: Type.String(),
  isAdmin: Type.Boolean(),
  blocked: Type.Boolean(),
  createdAt: Nullable(Type.String()),
  token: Nullable(Type.Object({
    id: Type.String(),
    name: Type.String(),
    kind: Type.Union([Type.Literal('personal'), Type.Literal('workspace'), Type.Literal('agent')]),
    workspaceId: Nullable(Type.String()),
    agentId: Type.Optional(Type.String()),
    permissions: Type.Array(Type.String()),
    projectIds: Nullable(Type.Array(Type.String())),
    workspaces: Type.Optional(Type.Array(Type.Object({
      workspaceId: Type.String(),
      role: Type.String(),
      permissions: Type.Array(Type.String(), { description: "The token's permissions within the owner's current role there" }),
    }))),
  })),
});

// A token's script may call /me on every run: while its answer is the same (frozen) object (see
// me.ts), it is serialized once, by the same serializer the route's schema would use.
const meJson = keepingSerializer(MeSchema);

export function userRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/me', {
      config: { auth: 'any' },
      schema: { tags: ['users'], summary: 'The caller: signed-in user, or a token with what it may do', response: { 200: MeSchema, ...AuthErrors } },
    }, async (request, reply) => {
      const caller = await describeCaller(ctx.db, principalOf(request));
      // Already JSON, written by the schema's serializer: Fastify sends a string as it is.
      return reply.type(JSON_CONTENT_TYPE).send(meJson(caller) as never);
    });

    for (const action of ['block', 'unblock'] as const) {
      app.post(`/admin/users/:id/${action}`, {
        config: { auth: 'session' },
        schema: {
          tags: ['admin'],
          summary: action === 'block' ? 'Block a user: their sessions and tokens stop working at once' : 'Unblock a user',
          params: IdParams,
          response: { 200: Type.Object({ user: UserSchema }), ...AuthErrors },
        },
      }, async (request) => {
        const admin = requireInstanceAdmin(principalOf(request));
        if (admin.id === request.params.id) throw new AppError('BAD_REQUEST', 'You cannot block yourself');
        return { user: toPublicUser(await setUserBlocked(ctx.db, request.params.id, action === 'block')) };
      });
    }
  };
}
