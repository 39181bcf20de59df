import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { registerAjvFormats, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppContext } from './context.js';
import { registerAuthentication } from './auth/authenticate.js';
import { registerErrorHandler, sendError } from './errors/handler.js';
import { AppError, sharedRefusal } from './errors/app-error.js';
import { registerStrictInput } from './http/strict-input.js';
import { validatorCompiler } from './http/validator.js';
import { securityHeaders, setHeaders } from './http/security-headers.js';
import { serializerCompiler } from './http/serializer.js';
import { clientErrorHandler, refusedForMissingHost } from './http/client-errors.js';
import { requestLogFields } from './http/log-redaction.js';
import { serverTimeouts } from './http/server-timeouts.js';
import { fastifyTrustProxy } from './http/trust-proxy.js';
import { openapiOptions } from './openapi/document.js';
import { registerOperationRules } from './openapi/operation-rules.js';
import { registerMetrics } from './metrics/metrics.js';
import { registerRoutes } from './routes.js';
import { startBackgroundJobs } from './jobs.js';

registerAjvFormats();

const URL_NOT_UNDERSTOOD = sharedRefusal(new AppError('BAD_REQUEST', 'The request URL could not be understood'));
const URL_TOO_LONG = sharedRefusal(new AppError('BAD_REQUEST', 'A part of the request URL is too long'));

export interface BuildOptions {
  /** Pino logger options, or false for none (tests). */
  logger?: boolean | Record<string, unknown>;
  /** Where log lines go (server.ts: standard output, see src/http/log-pipe.ts); pino's default otherwise. */
  logStream?: { write(line: string): void };
}

/** Builds the HTTP app around an existing context; listening is the caller's business (server.ts, tests). */
export async function buildApp(ctx: AppContext, options: BuildOptions = {}): Promise<FastifyInstance> {
  const headers = securityHeaders(ctx.config.publicOrigin);
  // Once closing, answer in-flight requests with `Connection: close` so keep-alive sockets end with
  // them; otherwise the server would wait for idle clients to hang up before it can exit.
  let closing = false;
  const timeouts = serverTimeouts(ctx.config.requestTimeoutMs);
  const app = Fastify({
    logger: options.logger ?? {
      level: ctx.config.logLevel,
      // Credentials never reach a log line, whatever a serializer decides to include.
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      // Nor do tokens and keys sent in a URL (`?access_token=…`, which authentication refuses anyway).
      serializers: { req: requestLogFields },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    ...timeouts,
    // A request without Host gets our 400 (refusedForMissingHost), not Node's empty one.
    http: { ...timeouts.http, requireHostHeader: false },
    // Requests Node's HTTP parser refuses (400, 431, 408) get our envelope, request id and headers too.
    clientErrorHandler: clientErrorHandler(headers),
    bodyLimit: ctx.config.bodyLimitBytes,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    // `/tokens/` is not `/tokens`: an item URL with an empty id must never reach a collection route.
    routerOptions: { ignoreTrailingSlash: false },
    // We answer in-flight and late requests ourselves while closing (see the onSend hook below).
    return503OnClosing: false,
    // Undecodable URLs and path parameters over the router's length limit get our JSON envelope too,
    // not Fastify's own body. Routing failed, so no hook runs for them: they get here what the hooks
    // give every other answer.
    frameworkErrors: (error, request, reply) => {
      setHeaders(reply, headers);
      reply.header('x-request-id', request.id);
      if (closing) reply.header('connection', 'close');
      return sendError(reply, error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? URL_TOO_LONG : URL_NOT_UNDERSTOOD);
    },
    // request.ip (rate limits, sign-in throttling, last-used and audit addresses), request.protocol
    // (the cookie's Secure flag) and request.host (the same-origin check) believe X-Forwarded-* only
    // from these proxies.
    trustProxy: fastifyTrustProxy(ctx.config.trustProxy),
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.decorate('closing', { getter: () => closing });
  // A request in flight when closing starts. A callback hook, not an async one: every answer passes here.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });

  // First of the request hooks, and one hook for all of it (each hook costs every request): the security
  // headers and the request id, so refusals, 404s and the docs carry them too; then the Host requirement.
  app.addHook('onRequest', (request, reply, done) => {
    setHeaders(reply, headers);
    reply.header('x-request-id', request.id);
    if (refusedForMissingHost(request, reply)) return;
    done();
  });
  await app.register(fastifyCookie);
  await app.register(fastifySwagger, openapiOptions(ctx.config));
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  registerErrorHandler(app);
  registerStrictInput(app);
  registerOperationRules(app);
  registerAuthentication(app, ctx);
  registerMetrics(app, ctx);
  await registerRoutes(app, ctx);
  app.addHook('onReady', async () => startBackgroundJobs(ctx, app.log));
  app.addHook('onClose', async () => {
    await ctx.usage.flush();
  });
  return app;
}
