import type { FieldError, RefusalLayer } from './generated/names.js';
import type { components } from './generated/openapi.js';

/** Every stable error code the server may answer with. */
export type ErrorCode = components['schemas']['Error']['code'];

/** The error envelope every Taskgate error answers. */
export type ErrorBody = components['schemas']['Error'];

function isErrorBody(body: unknown): body is ErrorBody {
  if (typeof body !== 'object' || body === null) return false;
  const { code, error } = body as Record<string, unknown>;
  return typeof code === 'string' && typeof error === 'string';
}

function retryAfterOf(response: Response, body: unknown): number | null {
  const header = response.headers.get('retry-after');
  if (header !== null && /^\d+$/.test(header.trim())) return Number(header.trim());
  const seconds = isErrorBody(body) ? body.retryAfterSeconds : undefined;
  return typeof seconds === 'number' ? seconds : null;
}

/**
 * The one error a Taskgate call throws for an answer that is not a success. Branch on `code` (stable)
 * rather than on `message` (for people; it may change). Network failures, aborts and timeouts are
 * not answers: they reject with the platform's own error (`TypeError`, `AbortError`, `TimeoutError`).
 */
export class TaskgateError extends Error {
  override readonly name = 'TaskgateError';
  /** The HTTP status. */
  readonly status: number;
  /** The stable code, or `UNEXPECTED_RESPONSE` when the answer was not Taskgate's envelope (a proxy's page, say). */
  readonly code: ErrorCode | 'UNEXPECTED_RESPONSE';
  /** The request id the server logged this under (also in `x-request-id`). */
  readonly requestId: string | null;
  /** On a 403: the permission the caller lacks. */
  readonly missingPermission: string | null;
  /** On a 403 of authorisation: the layer that refused (role, token_permissions, project_restriction, plan…). */
  readonly refusedBy: RefusalLayer | null;
  /** On a 429 (or a 503 that says so): seconds to wait before trying again. */
  readonly retryAfter: number | null;
  /** On a 400 VALIDATION_FAILED: each invalid field and why. */
  readonly fields: readonly FieldError[];
  /** The whole parsed body, with any further details (e.g. `projectId`, `status`). */
  readonly body: unknown;

  constructor(response: Response, body: unknown) {
    const envelope = isErrorBody(body) ? body : null;
    super(envelope?.error ?? `HTTP ${response.status} ${response.statusText}`.trim());
    this.status = response.status;
    this.code = envelope?.code ?? 'UNEXPECTED_RESPONSE';
    this.requestId = envelope?.requestId ?? response.headers.get('x-request-id');
    this.missingPermission = typeof envelope?.missingPermission === 'string' ? envelope.missingPermission : null;
    this.refusedBy = envelope?.refusedBy ?? null;
    this.retryAfter = retryAfterOf(response, body);
    this.fields = Array.isArray(envelope?.fields) ? envelope.fields : [];
    this.body = body;
  }
}
