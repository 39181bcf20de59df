/** What a caller may observe of each attempt (for logging and metrics). */
export interface RequestEvent {
  method: string;
  url: string;
  /** 1 for the first try, 2 for the first retry… */
  attempt: number;
  /** The status of the answer; absent when the attempt failed without one. */
  status?: number;
  /** The server's request id, when there was an answer. */
  requestId?: string | null;
  durationMs: number;
  /** Why the attempt failed without an answer (network error, abort, timeout). */
  error?: unknown;
  /** Whether another attempt follows. */
  willRetry: boolean;
}

export interface RetryOptions {
  /** Retries after the first attempt, at most (default 2). */
  maxRetries?: number;
  /** On 429, wait for Retry-After and try again (default true). */
  onRateLimit?: boolean;
  /** A Retry-After longer than this (seconds) is not waited for: the 429 is thrown (default 60). */
  maxRetryAfterSeconds?: number;
  /** Network errors and 5xx answers of idempotent calls are retried after this delay, doubling (default 250 ms). */
  backoffMs?: number;
}

export interface TransportOptions {
  retry?: RetryOptions | false;
  /** Called after every attempt. */
  onRequest?: (event: RequestEvent) => void;
  fetch?: (request: Request) => Promise<Response>;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const RETRIED_STATUSES = new Set([500, 502, 503, 504]);

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function retryAfterMs(response: Response): number | null {
  const value = response.headers.get('retry-after')?.trim();
  return value && /^\d+$/.test(value) ? Number(value) * 1000 : null;
}

/**
 * A fetch that retries what is safe to retry: a 429 (the server refused before doing anything) after
 * its Retry-After, and, for idempotent methods only, network errors and 5xx answers with backoff and
 * jitter. An abort or a timeout (the request's signal) is never retried.
 */
export function retryingFetch(options: TransportOptions): (request: Request) => Promise<Response> {
  const base = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const retry = options.retry === false ? null : (options.retry ?? {});
  const maxRetries = retry ? (retry.maxRetries ?? 2) : 0;
  const onRateLimit = retry?.onRateLimit ?? true;
  const maxRetryAfterMs = (retry?.maxRetryAfterSeconds ?? 60) * 1000;
  const backoffMs = retry?.backoffMs ?? 250;

  return async (request) => {
    const idempotent = IDEMPOTENT.has(request.method);
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      const canRetry = attempt <= maxRetries;
      // The body of a Request can be read once: each attempt sends a copy.
      const sent = canRetry ? request.clone() : request;
      const report = (event: Omit<RequestEvent, 'method' | 'url' | 'attempt' | 'durationMs'>) =>
        options.onRequest?.({ method: request.method, url: request.url, attempt, durationMs: Date.now() - started, ...event });
      let response: Response;
      try {
        response = await base(sent);
      } catch (error) {
        const willRetry = canRetry && idempotent && !request.signal.aborted;
        report({ error, willRetry });
        if (!willRetry) throw error;
        await sleep(backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random()), request.signal);
        continue;
      }
      let waitMs: number | null = null;
      if (canRetry && response.status === 429 && onRateLimit) {
        const after = retryAfterMs(response);
        if (after !== null && after <= maxRetryAfterMs) waitMs = after;
      } else if (canRetry && idempotent && RETRIED_STATUSES.has(response.status)) {
        waitMs = retryAfterMs(response) ?? backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random());
      }
      report({ status: response.status, requestId: response.headers.get('x-request-id'), willRetry: waitMs !== null });
      if (waitMs === null) return response;
      // Free the connection of the answer we are not going to read.
      await response.body?.cancel().catch(() => undefined);
      await sleep(waitMs, request.signal);
    }
  };
}

/** One signal for a call: the caller's own, and a timeout when one is set. */
export function callSignal(signal: AbortSignal | undefined, timeoutMs: number | undefined): AbortSignal | undefined {
  const timeout = timeoutMs !== undefined && timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined;
  if (!timeout) return signal;
  if (!signal) return timeout;
  return AbortSignal.any([signal, timeout]);
}
