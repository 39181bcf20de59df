import type { FastifyRequest } from 'fastify';
import { AppError, sharedRefusal } from '../errors/app-error.js';

// The SDK's transport would answer these with JSON-RPC bodies of its own; /mcp answers them as every route does.
const NOT_JSON = sharedRefusal(new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the JSON-RPC message as application/json'));
const NOT_ACCEPTING = sharedRefusal(
  new AppError(
    'NOT_ACCEPTABLE',
    'An MCP client must accept both application/json and text/event-stream (the Accept header of the Streamable HTTP transport)',
  ),
);
// One message per POST: the current MCP protocol version has no batches, and a batch of calls would pass the rate limit as one request.
const BATCH = sharedRefusal(new AppError('BAD_REQUEST', 'Send one JSON-RPC message per request: batches are not accepted'));

function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';', 1)[0]?.trim().toLowerCase();
}

/** Refuses a POST whose headers the Streamable HTTP transport would refuse, before its body is read. */
export function headerRefusal(request: FastifyRequest): AppError | null {
  const accept = request.headers.accept;
  // A list of media ranges: containing both names is what the transport itself asks for.
  if (accept === undefined || !accept.includes('application/json') || !accept.includes('text/event-stream')) return NOT_ACCEPTING;
  return mediaType(request.headers['content-type']) === 'application/json' ? null : NOT_JSON;
}

/** Refuses a JSON-RPC batch (an array body). */
export function batchRefusal(body: unknown): AppError | null {
  return Array.isArray(body) ? BATCH : null;
}
