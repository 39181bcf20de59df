import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { hostOf, resolveSafeAddress, systemResolver, UnsafeDestinationError, type ResolvedAddress, type Resolver } from './url-safety.js';

/** What one HTTP attempt produced; `status` is null when no response arrived. */
export interface AttemptOutcome {
  status: number | null;
  durationMs: number;
  /** The first 2 KB of the response body. */
  responseBody: string | null;
  error: string | null;
  /** From a Retry-After header, in milliseconds from now. */
  retryAfterMs: number | null;
}

export interface AttemptRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivate: boolean;
}

const KEPT_BODY_BYTES = 2048;
// Past this the rest of a response is not worth reading: the connection is dropped instead.
const READ_BODY_BYTES = 64 * 1024;
const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/** Seconds or an HTTP date, capped at a day; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const ms = /^\d+$/.test(value.trim()) ? Number(value.trim()) * 1000 : Date.parse(value) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : null;
}

/** A DNS lookup that always answers with the address already checked (defeats DNS rebinding). */
function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
}

function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    work.then(resolve, reject);
  });
}

class AttemptTimeout extends Error {}

function describeError(err: unknown, timeoutMs: number): string {
  if (err instanceof AttemptTimeout) return `timed out after ${timeoutMs} ms`;
  if (err instanceof UnsafeDestinationError) return `refused: ${err.message}`;
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

/** Sends requests with kept-alive connections; `close` drops them when the dispatcher stops. */
export class WebhookSender {
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };

  constructor(private readonly resolve: Resolver = systemResolver) {}

  /** One POST: no redirects followed, everything (DNS included) within the timeout. Never throws. */
  async send(request: AttemptRequest): Promise<AttemptOutcome> {
    const started = performance.now();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new AttemptTimeout()), request.timeoutMs);
    try {
      const url = new URL(request.url);
      const lookup = request.allowPrivate
        ? undefined
        : pinnedLookup(await abortable(resolveSafeAddress(hostOf(url), this.resolve), controller.signal));
      const response = await abortable(this.post(url, request, lookup, controller.signal), controller.signal);
      return { ...response, durationMs: Math.round(performance.now() - started), error: null };
    } catch (err) {
      const reason = controller.signal.aborted ? controller.signal.reason : err;
      return {
        status: null,
        durationMs: Math.round(performance.now() - started),
        responseBody: null,
        error: describeError(reason, request.timeoutMs),
        retryAfterMs: null,
      };
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }

  private post(url: URL, request: AttemptRequest, lookup: LookupFunction | undefined, signal: AbortSignal) {
    const transport = url.protocol === 'https:' ? https : http;
    const agent = url.protocol === 'https:' ? this.agents['https:'] : this.agents['http:'];
    const headers = { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) };
    return new Promise<Omit<AttemptOutcome, 'durationMs' | 'error'>>((resolve, reject) => {
      const req = transport.request(url, { method: 'POST', headers, agent, lookup, signal }, (res) => {
        const kept: Buffer[] = [];
        let keptBytes = 0;
        let readBytes = 0;
        const finish = () =>
          resolve({
            status: res.statusCode ?? null,
            responseBody: Buffer.concat(kept).toString('utf8'),
            retryAfterMs: parseRetryAfter(res.headers['retry-after']),
          });
        res.on('data', (chunk: Buffer) => {
          readBytes += chunk.length;
          if (keptBytes < KEPT_BODY_BYTES) {
            const slice = chunk.subarray(0, KEPT_BODY_BYTES - keptBytes);
            kept.push(slice);
            keptBytes += slice.length;
          }
          if (readBytes > READ_BODY_BYTES) {
            res.destroy();
            finish();
          }
        });
        res.on('end', finish);
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(request.body);
    });
  }
}
