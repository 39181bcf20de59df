import type { Api, Core } from '../core.js';
import { TaskgateError } from '../errors.js';
import type { Event } from '../generated/names.js';
import { readServerSentEvents } from './server-sent-events.js';

const STREAM_PATH = '/api/v1/workspaces/{id}/events/stream';

export interface EventStreamOptions {
  /** Start after this point: an SSE id the stream sent (`lastEventId`) or an event's `id`. Default: the next event. */
  after?: string;
  /** Only this project's events. */
  projectId?: string;
  /** Stop the stream: the iteration then ends without an error. */
  signal?: AbortSignal;
  /** The longest wait between two reconnection attempts, in milliseconds (default 30 s). */
  maxBackoffMs?: number;
}

/** Why the server ended a stream: the caller lost access (the code is the one a request would get). */
export interface EventStreamEnd {
  code: string;
  message: string;
}

/** Answers worth connecting again after: the server is busy or restarting. */
const RETRIED_STATUSES = new Set([500, 502, 503, 504]);
const DEFAULT_RECONNECT_MS = 2000;

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * A workspace's live events, typed, oldest first. Iterate it with `for await`; a dropped connection
 * is reopened (after the server's `retry:` delay, doubling while it fails) from the last event
 * received, so nothing is missed or repeated. The iteration ends when the signal aborts or the server
 * ends the stream (`endReason` then says why); a refusal (400, 401, 403, 404, or 429 TOO_MANY_STREAMS on
 * the first connection) throws `TaskgateError`.
 */
export class EventStream implements AsyncIterable<Event> {
  /**
   * The last SSE id the server sent (with an event, on opening, or with a ping): where a reconnection
   * resumes (pass it as `after` to resume later).
   */
  lastEventId: string | null = null;
  /** Why the server ended the stream, once it has. */
  endReason: EventStreamEnd | null = null;
  private reconnectMs = DEFAULT_RECONNECT_MS;

  constructor(
    private readonly api: Api,
    private readonly workspaceId: string,
    private readonly options: EventStreamOptions = {},
  ) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<Event> {
    const { signal } = this.options;
    let failures = 0;
    let connected = false;
    while (!signal?.aborted) {
      let body: ReadableStream<Uint8Array>;
      try {
        body = await this.connect();
        connected = true;
      } catch (error) {
        if (signal?.aborted) return;
        // A 429 on reconnecting is the dropped stream's slot not yet freed; on the first try, too many streams are open.
        const retried = error instanceof TaskgateError ? RETRIED_STATUSES.has(error.status) || (connected && error.status === 429) : true;
        if (!retried) throw error;
        await sleep(this.backoff(++failures), signal);
        continue;
      }
      try {
        for await (const item of readServerSentEvents(body)) {
          // Only a server that says something counts as reached: one that accepts and drops at once keeps the backoff growing.
          if (item.kind === 'message' || item.kind === 'id') failures = 0;
          if (item.kind === 'retry') this.reconnectMs = item.ms;
          if (item.kind === 'id') this.lastEventId = item.id;
          if (item.kind !== 'message') continue;
          if (item.event === 'end') {
            this.endReason = JSON.parse(item.data) as EventStreamEnd;
            return;
          }
          if (item.id !== null) this.lastEventId = item.id;
          yield JSON.parse(item.data) as Event;
        }
      } catch {
        // The connection dropped: reconnect below from the last event received.
      }
      if (signal?.aborted) return;
      await sleep(this.backoff(++failures), signal);
    }
  }

  /** The wait before reconnection attempt `n`: the server's delay, doubling, capped, with jitter. */
  private backoff(attempt: number): number {
    const ms = Math.min(this.reconnectMs * 2 ** (attempt - 1), this.options.maxBackoffMs ?? 30_000);
    return ms * (0.75 + Math.random() / 2);
  }

  private async connect(): Promise<ReadableStream<Uint8Array>> {
    const { after, projectId, signal } = this.options;
    const query = { ...(after !== undefined ? { after } : {}), ...(projectId !== undefined ? { projectId } : {}) };
    const { data, error, response } = await this.api.GET(STREAM_PATH, {
      params: { path: { id: this.workspaceId }, query },
      headers: { accept: 'text/event-stream', ...(this.lastEventId !== null ? { 'last-event-id': this.lastEventId } : {}) },
      parseAs: 'stream',
      ...(signal ? { signal } : {}),
    });
    if (!response.ok || !data) throw new TaskgateError(response, error);
    return data;
  }
}

/** Opens a workspace's event stream over the client's transport (its base URL, token or session cookie). */
export function eventStream(core: Core, workspaceId: string, options?: EventStreamOptions): EventStream {
  return new EventStream(core.api, workspaceId, options);
}
