import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, sharedRefusal } from '../errors/app-error.js';
import { sendError } from '../errors/handler.js';
import type { HeaderList } from './security-headers.js';

const MALFORMED = sharedRefusal(new AppError('BAD_REQUEST', 'The request is not well-formed HTTP'));
const HEADERS_TOO_LARGE = sharedRefusal(new AppError('HEADERS_TOO_LARGE', 'The request headers are too large'));
const TOO_SLOW = sharedRefusal(new AppError('REQUEST_TIMEOUT', 'The request took too long to arrive'));

function refusalFor(error: ConnectionError): AppError {
  if (error.code === 'HPE_HEADER_OVERFLOW') return HEADERS_TOO_LARGE;
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return TOO_SLOW;
  return MALFORMED;
}

/** Whether an answer to an earlier request on this socket has already begun: then nothing may be written. */
function answerUnderway(socket: Socket): boolean {
  const response = (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  return response?.headersSent === true;
}

/**
 * The answer to a request Node's HTTP parser refused before Fastify saw it (a bad header byte, two
 * Content-Lengths, headers over the size limit, a request slower than the request timeout). There is
 * no request nor reply object, so this is the one place an error answer is written by hand: the same
 * JSON envelope and security headers as every other answer, a fresh request id (the request's own
 * could not be read), and `Connection: close`, since the rest of the stream cannot be trusted.
 */
export function clientErrorHandler(headers: HeaderList): (this: FastifyInstance, error: ConnectionError, socket: Socket) => void {
  const securityLines = headers.map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return function answerClientError(error, socket) {
    // A reset connection, or one already gone: there is no one to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const refusal = refusalFor(error);
    const requestId = randomUUID();
    // The code alone: the error carries the raw bytes received, Authorization header included.
    this.log.debug({ code: error.code, requestId }, 'refused a request the HTTP parser could not read');
    if (socket.writable && !answerUnderway(socket)) {
      const body = JSON.stringify({ error: refusal.message, code: refusal.code, statusCode: refusal.statusCode, requestId });
      socket.write(
        `HTTP/1.1 ${refusal.statusCode} ${STATUS_CODES[refusal.statusCode]}\r\n${securityLines}` +
          `x-request-id: ${requestId}\r\ncontent-type: application/json; charset=utf-8\r\n` +
          `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroySoon();
  };
}

const NO_HOST = sharedRefusal(new AppError('BAD_REQUEST', 'An HTTP/1.1 request must name its Host'));

/**
 * Refuses an HTTP/1.1 request without a Host header (RFC 9112), and says whether it did. Node would answer
 * it with an empty 400 of its own before any hook ran; the server leaves it to the app's first request
 * hook (`requireHostHeader: false`), right after the security headers, so the refusal is an answer like
 * every other.
 */
export function refusedForMissingHost(request: FastifyRequest, reply: FastifyReply): boolean {
  if (request.headers.host !== undefined || request.raw.httpVersion !== '1.1') return false;
  sendError(reply, NO_HOST);
  return true;
}
