import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { JSON_CONTENT_TYPE } from './serializer.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The server has started to close (app.ts): answers carry `Connection: close`. */
    readonly closing: boolean;
    /** Set when metrics are on (metrics/metrics.ts): records an answer the onSend hook never saw. */
    observeHijackedAnswer?: (request: FastifyRequest, reply: FastifyReply) => void;
  }
}

/**
 * Takes over the reply and starts the raw answer with what the hooks would have given it: Fastify's
 * onSend hooks do not run for a hijacked reply, so the headers the request hooks set (security
 * headers, rate limits, token expiry), the request id, `Connection: close` while the server closes,
 * and the metrics' observation are applied here. `status` null leaves writing the head to the caller
 * (a library that answers on the raw response, such as the MCP transport).
 */
export function startHijackedAnswer(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number | null,
  headers: OutgoingHttpHeaders = {},
): void {
  const res = reply.raw;
  reply.hijack();
  for (const [name, value] of Object.entries({ ...reply.getHeaders(), ...headers })) if (value !== undefined) res.setHeader(name, value);
  res.setHeader('x-request-id', request.id);
  if (request.server.closing) res.setHeader('connection', 'close');
  const observe = request.server.observeHijackedAnswer;
  if (observe) res.once('close', () => observe(request, reply));
  if (status !== null) res.writeHead(status);
}

/**
 * A hijacked reply that failed before its answer started still gets one: the 500 envelope the error
 * handler would have sent (it cannot, once hijacked). One that had started is cut off.
 */
export function failHijackedAnswer(request: FastifyRequest, reply: FastifyReply): void {
  const res = reply.raw;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.setHeader('content-type', JSON_CONTENT_TYPE);
  res.setHeader('x-request-id', request.id);
  res.writeHead(500);
  res.end(
    JSON.stringify({
      error: 'Something went wrong on our side; the request id identifies it in our logs',
      code: 'INTERNAL_ERROR',
      statusCode: 500,
      requestId: request.id,
    }),
  );
}
