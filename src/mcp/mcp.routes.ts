import fs from 'node:fs';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate.js';
import type { AppContext } from '../context.js';
import { AppError, sharedRefusal } from '../errors/app-error.js';
import { startHijackedAnswer } from '../http/hijacked-answer.js';
import { mcpServerFor } from './mcp-server.js';
import { foreignOriginRefusal } from './origin-check.js';
import { batchRefusal, headerRefusal } from './request-checks.js';
import { MCP_PATH, mcpChallenge, protectedResourceMetadata, publicBaseUrl, RESOURCE_METADATA_PATH } from './resource-metadata.js';

const VERSION = (JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

// Stateless: no session outlives its request, so there is no stream to open (GET) or session to end (DELETE).
const POST_ONLY = sharedRefusal(
  new AppError(
    'METHOD_NOT_ALLOWED',
    'This MCP endpoint is stateless: send every JSON-RPC message as a POST; there are no sessions or server-sent streams',
    {},
    { Allow: 'POST' },
  ),
);

/**
 * Answers one MCP message with a server built for this caller. The reply is handed to the SDK's
 * transport, so the headers the request hooks set (security, rate limit, token expiry) are copied onto
 * the raw response first: a hijacked reply writes nothing else of Fastify's.
 */
async function answer(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const server = mcpServerFor({ ctx, principal: principalOf(request), request }, VERSION);
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  startHijackedAnswer(request, reply, null);
  reply.raw.on('close', () => {
    void transport.close();
    void server.close();
  });
  try {
    await server.connect(transport);
    await transport.handleRequest(request.raw, reply.raw, request.body);
  } catch (err) {
    request.log.error({ err }, 'MCP request failed');
    if (!reply.raw.headersSent) {
      reply.raw.writeHead(500, { 'content-type': 'application/json' });
      reply.raw.end(
        JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: `Internal error (request id ${request.id})` }, id: null }),
      );
    }
  }
}

/** A request hook that throws the refusal `check` finds, if any. */
function refusing(check: (request: FastifyRequest) => AppError | null) {
  return async (request: FastifyRequest): Promise<void> => {
    const refusal = check(request);
    if (refusal) throw refusal;
  };
}

/**
 * The MCP endpoint (Streamable HTTP, stateless) and its protected-resource metadata. Outside the
 * OpenAPI document: MCP clients learn the tools from the endpoint itself (README, "Automating with agents").
 */
export function mcpRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  const { publicOrigin } = ctx.config;
  const config = { auth: 'token', bearerChallenge: mcpChallenge(publicOrigin) } as const;
  const refuseForeignOrigin = refusing((request) => foreignOriginRefusal(request, publicOrigin));
  // Checked before the transport sees the request, so its refusals leave in the JSON error envelope.
  const refuseUnusableHeaders = refusing(headerRefusal);
  const refuseBatch = refusing((request) => batchRefusal(request.body));
  return async (app) => {
    app.post(
      MCP_PATH,
      {
        config,
        onRequest: [refuseForeignOrigin, refuseUnusableHeaders],
        preValidation: refuseBatch,
        schema: { hide: true, body: Type.Unknown({ description: 'One JSON-RPC message of the Model Context Protocol' }) },
      },
      (request, reply) => answer(ctx, request, reply),
    );

    app.route({
      method: ['GET', 'DELETE'],
      url: MCP_PATH,
      config,
      onRequest: refuseForeignOrigin,
      schema: { hide: true },
      handler: async () => {
        throw POST_ONLY;
      },
    });

    for (const url of [RESOURCE_METADATA_PATH, `${RESOURCE_METADATA_PATH}${MCP_PATH}`]) {
      app.get(url, { config: { auth: 'public' }, schema: { hide: true } }, async (request, reply) => {
        // Public metadata, read by browser-based MCP clients of other origins too.
        reply.header('access-control-allow-origin', '*');
        return protectedResourceMetadata(publicBaseUrl(request, publicOrigin));
      });
    }
  };
}
