import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../context.js';
import { AppError } from '../errors/app-error.js';
import { Conflict, ErrorResponse, Forbidden, NotFound } from '../http/schemas.js';
import { endSession } from '../sessions/sessions.service.js';
import { createUser, toPublicUser } from '../users/users.service.js';
import { UserEnvelope } from '../users/users.schemas.js';
import { SESSION_COOKIE } from './authenticate.js';
import { isInstanceAdmin } from '../authz/authorize.js';
import { LoginCredentials, NewUser, SessionState, SignedIn } from './auth.schemas.js';
import { login } from './auth.service.js';
import { LoginThrottle } from './login-throttle.js';

export function authRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  const throttle = new LoginThrottle(ctx);
  return async (app) => {
    app.post(
      '/auth/register',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['auth'],
          operationId: 'auth.register',
          summary: 'Create an account (open sign-up, or an instance admin)',
          description:
            "Without credentials while the instance allows open sign-up; otherwise only an instance admin's session may " +
            'register users (403 SIGNUP_DISABLED). It does not sign in. 400 WEAK_PASSWORD: the password is too short, too long, ' +
            'blank or common. 409 EMAIL_TAKEN: an account already uses this email (open sign-up cannot hide that; see the README).',
          body: NewUser,
          response: { 201: UserEnvelope, ...Forbidden, ...Conflict },
        },
      },
      async (request, reply) => {
        if (!ctx.config.openSignup && !isInstanceAdmin(request.principal))
          throw new AppError('SIGNUP_DISABLED', 'Sign-up is closed; ask an instance admin for an account');
        const user = await createUser(ctx.db, request.body, ctx.config.passwordHashCost, ctx.config.passwordMinLength);
        return reply.code(201).send({ user: toPublicUser(user) });
      },
    );

    app.post(
      '/auth/login',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['auth'],
          operationId: 'auth.login',
          summary: 'Sign in: sets the session cookie and returns the session token for CLI use',
          description:
            'No credentials needed; an API token is refused (403 SESSION_REQUIRED). 401 INVALID_CREDENTIALS for a wrong ' +
            'email or password, USER_BLOCKED for a blocked account. Every attempt counts, before the password is checked: too many ' +
            'for one account from one address, or for one account from all addresses together (an address it signed in from lately ' +
            'is exempt from that one), are refused with 429 ' +
            'TOO_MANY_LOGIN_ATTEMPTS until Retry-After, the same answer whether the password is right or wrong.',
          body: LoginCredentials,
          response: { 200: SignedIn, 401: ErrorResponse, ...Forbidden },
        },
      },
      async (request, reply) => {
        if (request.principal && request.principal.kind !== 'session') {
          throw new AppError('SESSION_REQUIRED', 'An API token cannot open a session');
        }
        const { user, token, session } = await login(ctx, throttle, request.body.email, request.body.password, {
          userAgent: request.headers['user-agent'],
          name: request.body.deviceName?.trim(),
          ip: request.ip,
        });
        reply.setCookie(SESSION_COOKIE, token, {
          httpOnly: true,
          sameSite: 'lax',
          // Behind a TLS-terminating proxy the request arrives over http, but the public origin says https.
          secure: request.protocol === 'https' || (ctx.config.publicOrigin?.startsWith('https://') ?? false),
          path: '/',
          expires: new Date(session.expires_at),
        });
        return { user: toPublicUser(user), sessionToken: token };
      },
    );

    // Public, so that asking never fails: a browser learns whether it is signed in without a 401 in its console.
    app.get(
      '/auth/session',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['auth'],
          operationId: 'auth.session',
          summary: 'Whether this request is signed in, and as whom',
          description:
            'Answers the user of the session the request carries (the tg_session cookie, or a session token as Bearer), ' +
            'or `user: null`: without credentials, with an ended, expired or unknown session, and with an API token, which ' +
            'is no session. Never 401.',
          response: { 200: SessionState },
        },
      },
      async (request, reply) => {
        const principal = request.principal;
        reply.header('cache-control', 'no-store');
        if (principal?.kind !== 'session') return { user: null };
        // Authentication refuses a blocked user's session, so a session's user is never blocked.
        return { user: { ...principal.user, blocked: false } };
      },
    );

    // Public, so a browser holding an already-ended session can still sign out and lose its cookie.
    app.post(
      '/auth/logout',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['auth'],
          operationId: 'auth.logout',
          summary: 'End the current session and clear its cookie',
          description:
            'Ends the calling session, if any, and always clears the cookie: calling it without a working session is not ' +
            'an error. An API token is refused (403 SESSION_REQUIRED). 404: the session was ended by another request meanwhile.',
          response: { 204: Type.Null(), ...Forbidden, ...NotFound },
        },
      },
      async (request, reply) => {
        const principal = request.principal;
        if (principal && principal.kind !== 'session') throw new AppError('SESSION_REQUIRED', 'An API token has no session to end');
        if (principal) await endSession(ctx.db, principal.user.id, principal.sessionId, { how: 'logout', ip: request.ip });
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send(null);
      },
    );
  };
}
