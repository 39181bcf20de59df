import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../auth/authenticate.js';
import { requireInstanceAdmin } from '../authz/authorize.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors/app-error.js';
import { Forbidden, IdParams, ListOf, NotFound } from '../http/schemas.js';
import { AdminUserQuery, AdminWorkspaceQuery, AdminWorkspaceSchema } from './admin-lists.schemas.js';
import { listUsersForAdmin, listWorkspacesForAdmin } from './admin-lists.service.js';
import { describeCaller } from './me.js';
import { JSON_CONTENT_TYPE, keepingSerializer } from '../http/serializer.js';
import { MeSchema, UserEnvelope, UserSchema } from './users.schemas.js';
import { setUserBlocked, toPublicUser } from './users.service.js';

// A token's script may call /me on every run: while its answer is kept (see me.ts), it is serialized
// once, by the same serializer the route's schema would use.
const meJson = keepingSerializer('GET /me JSON', MeSchema);

const ADMIN_ONLY = 'Instance admins only, from a signed-in session (403 ADMIN_ONLY otherwise).';
const WORKSPACE_LIST_QUERY = '`q` keeps workspaces whose name contains it (ignoring case). Paged: pass `nextCursor` as `cursor`.';

const ADMIN_ACTIONS = {
  block: {
    operationId: 'admin.blockUser',
    summary: 'Block a user: their sessions and tokens stop working at once',
    description:
      'Instance admins only, from a signed-in session (403 ADMIN_ONLY otherwise). Ends every session of the user; ' +
      'their tokens are refused from the next request, and the workspace access tokens and agents they created are disabled ' +
      '(`disabledReason: creator_blocked`; unblocking does not re-enable them, a workspace administrator may). Blocking a ' +
      'blocked user changes nothing. You cannot block yourself (400); 404: no such user.',
  },
  unblock: {
    operationId: 'admin.unblockUser',
    summary: 'Unblock a user',
    description:
      'Instance admins only, from a signed-in session (403 ADMIN_ONLY otherwise). The user may sign in again and their ' +
      'unexpired, unrevoked tokens work again (ended sessions do not come back). Unblocking a user who is not blocked ' +
      'changes nothing; 404: no such user.',
  },
} as const;

export function userRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/me',
      {
        config: { auth: 'any' },
        schema: {
          tags: ['users'],
          operationId: 'me.get',
          summary: 'The caller: signed-in user, or a token with what it may do',
          description:
            'Any credential may call it. A session answers the user with `token: null`; an API token answers its kind, ' +
            'permissions and, for a personal token, what those come to in each paid workspace. Workspace and agent tokens ' +
            'act for no user: `id` and `email` are null.',
          response: { 200: MeSchema },
        },
      },
      async (request, reply) => {
        const caller = await describeCaller(ctx.db, principalOf(request));
        // Already JSON, written by the schema's serializer: Fastify sends a string as it is.
        return reply.type(JSON_CONTENT_TYPE).send(meJson(ctx.reads, caller) as never);
      },
    );

    app.get(
      '/admin/users',
      {
        config: { auth: 'session' },
        schema: {
          tags: ['users'],
          operationId: 'admin.listUsers',
          summary: 'Every user of the instance, newest first',
          description:
            `${ADMIN_ONLY} \`q\` keeps users whose email or name contains it (ignoring case); \`blocked\` keeps only blocked ` +
            '(true) or unblocked (false) users. Paged: pass `nextCursor` as `cursor`.',
          querystring: AdminUserQuery,
          response: { 200: ListOf(UserSchema), ...Forbidden },
        },
      },
      async (request) => {
        requireInstanceAdmin(principalOf(request));
        const { q, blocked, cursor, limit } = request.query;
        return listUsersForAdmin(ctx.db, { q, blocked }, { limit: limit ?? 50, cursor });
      },
    );

    app.get(
      '/admin/workspaces',
      {
        config: { auth: 'session' },
        schema: {
          tags: ['users'],
          operationId: 'admin.listWorkspaces',
          summary: 'Every workspace of the instance with its member count, newest first',
          description: `${ADMIN_ONLY} ${WORKSPACE_LIST_QUERY}`,
          querystring: AdminWorkspaceQuery,
          response: { 200: ListOf(AdminWorkspaceSchema), ...Forbidden },
        },
      },
      async (request) => {
        requireInstanceAdmin(principalOf(request));
        const { q, cursor, limit } = request.query;
        return listWorkspacesForAdmin(ctx.db, { q }, { limit: limit ?? 50, cursor });
      },
    );

    for (const action of ['block', 'unblock'] as const) {
      app.post(
        `/admin/users/:id/${action}`,
        {
          config: { auth: 'session' },
          schema: {
            tags: ['users'],
            ...ADMIN_ACTIONS[action],
            params: IdParams,
            response: { 200: UserEnvelope, ...Forbidden, ...NotFound },
          },
        },
        async (request) => {
          const admin = requireInstanceAdmin(principalOf(request));
          if (admin.id === request.params.id) throw new AppError('BAD_REQUEST', 'You cannot block yourself');
          const blocked = await setUserBlocked(ctx.db, request.params.id, action === 'block', { adminId: admin.id, ip: request.ip });
          return { user: toPublicUser(blocked) };
        },
      );
    }
  };
}
