import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../context.js';
import { AppError } from '../errors/app-error.js';
import { ErrorResponse, StrictObject, Text } from '../http/schemas.js';
import { endSession } from '../sessions/sessions.service.js';
import { createUser, toPublicUser } from '../users/users.service.js';
import { UserSchema } from '../users/users.schemas.js';
import { SESSION_COOKIE } from './authenticate.js';
import { isInstanceAdmin } from '../authz/authorize.js';
import { login } from './auth.service.js';
import { LoginThrottle } from './login-throttle.js';

const Email = Type.String({ format: 'email', maxLength: 254 });
const Password = Type.String({ minLength: 8, maxLength: 256 });

export function authRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  const throttle = new LoginThrottle(ctx);
  return async (app) => {
    app.post('/auth/register', {
      config: { auth: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Create an account (open sign-up, or an instance admin)',
        body: StrictObject({ email: Email, password: Password, name: Text({ minLength: 1, maxLength: 100, mustHaveText: true }) }),
        response: { 201: Type.Object({ user: UserSchema }), 400: ErrorResponse, 403: ErrorResponse, 409: ErrorResponse },
      },
    }, async (request, reply) => {
      if (!ctx.config.openSignup && !isInstanceAdmin(request.principal)) throw new AppError('SIGNUP_DISABLED', 'Sign-up is closed; ask an instance admin for an account');
      const user = await createUser(ctx.db, request.body, ctx.config.passwordHashCost);
      return reply.code(201).send({ user: toPublicUser(user) });
    });

    app.post('/auth/login', {
      config: { auth: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in: sets the session cookie and returns the session token for CLI use',
        body: StrictObject({ email: Email, password: Type.String({ minLength: 1, maxLength: 256 }) }),
        response: { 200: Type.Object({ user: UserSchema, sessionToken: Type.String() }), 400: ErrorResponse, 401: ErrorResponse, 429: ErrorResponse },
      },
    }, async (request, reply) => {
      if (request.principal && request.principal.kind !== 'session') {
        throw new AppError('SESSION_REQUIRED', 'An API token cannot open a session');
      }
      const { user, token, session } = await login(ctx, throttle, request.body.email, request.body.password, {
        userAgent: request.headers['user-agent'],
        ip: request.ip,
      });
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: request.protocol === 'https',
        path: '/',
        expires: new Date(session.expires_at),
      });
      return { user: toPublicUser(user), sessionToken: token };
    });

    // Public, so a browser holding an already-ended session can still sign out and lose its cookie.
    app.post('/auth/logout', {
      config: { auth: 'public' },
      schema: { tags: ['auth'], summary: 'End the current session and clear its cookie', response: { 204: Type.Null(), 403: ErrorResponse } },
    }, async (request, reply) => {
      const principal = request.principal;
      if (principal && principal.kind !== 'session') throw new AppError('SESSION_REQUIRED', 'An API token has no session to end');
      if (principal) await endSession(ctx.db, principal.user.id, principal.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    });
  };
}
