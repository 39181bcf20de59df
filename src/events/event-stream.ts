import type { ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { WorkspaceAccess } from '../authz/authorize.js';
import { AppError } from '../errors/app-error.js';
import { isAfter, positionCursor, type EventPosition } from './event-position.js';
import type { StreamListener } from './event-stream-hub.js';
import type { PositionedEvent } from './event-stream.queries.js';
import type { EventView } from './events.service.js';

/** How long a client waits before reconnecting (the SSE `retry:` field). */
export const RECONNECT_MS = 2000;

/**
 * A client that reads slower than events arrive is let go once this much is waiting to be sent: it
 * reconnects with Last-Event-ID and loses nothing, and the server holds no unbounded buffer for it.
 */
const MAX_BUFFERED_BYTES = 1 << 20;

/** How long an ending stream may take to hand its last bytes to a client before its socket is cut. */
const END_FLUSH_MS = 1000;

export interface EventStreamOptions {
  workspaceId: string;
  /** Where the stream starts: the first event sent is the first one after it. */
  position: EventPosition;
  /** The caller's access as authorised when the stream opened (its project restriction filters events). */
  access: WorkspaceAccess;
  /** Only this project's events, when the caller asked for one. */
  projectId: string | null;
  /** Authorises the caller again, from the database as it is now: the access, or why the stream must end. */
  recheck(): Promise<WorkspaceAccess | AppError>;
  heartbeatMs: number;
  log: FastifyBaseLogger;
  /**
   * Called once, when the answer's socket is closed (not merely when the answer ends: a client that
   * never reads would otherwise keep its socket and backlog while its slot is given to another stream).
   */
  onClosed(): void;
}

function eventFrame({ position, event }: PositionedEvent): string {
  return `id: ${positionCursor(position)}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * One open `text/event-stream` answer: the events past its position that the caller may see, a
 * heartbeat comment, and the caller authorised again before anything is sent and at every heartbeat.
 * A caller who lost access (revoked or expired credential, removed or demoted member) gets
 * `event: end` with the refusal's code and the stream closes; a shutdown or a slow reader closes it
 * without one, and the client reconnects.
 */
export class EventStream implements StreamListener {
  readonly workspaceId: string;
  position: EventPosition;
  private access: WorkspaceAccess;
  private readonly heartbeat: NodeJS.Timeout;
  private ended = false;
  private released = false;
  private flushTimer: NodeJS.Timeout | null = null;
  /** Stops the hub feeding this stream; set once it listens. */
  stopListening: () => void = () => {};

  constructor(
    private readonly res: ServerResponse,
    private readonly options: EventStreamOptions,
  ) {
    this.workspaceId = options.workspaceId;
    this.position = options.position;
    this.access = options.access;
    this.heartbeat = setInterval(() => void this.beat(), options.heartbeatMs);
    // The client went away or the socket was cut: stop feeding it, and give its slot back.
    res.on('close', () => {
      this.end(null, 'cut');
      this.release();
    });
    // A write the socket refused (it died between checks) ends the stream; it must not become an unhandled error.
    res.on('error', () => this.end(null, 'cut'));
    // The start position as the SSE id: a client that drops before any event reconnects from here, missing nothing.
    res.write(`retry: ${RECONNECT_MS}\nid: ${positionCursor(this.position)}\n\n`);
  }

  async receive(events: readonly PositionedEvent[], upTo: EventPosition): Promise<void> {
    if (this.ended) return;
    const fresh = events.filter((e) => isAfter(e.position, this.position));
    if (fresh.some((e) => this.visible(e.event)) && !(await this.stillAllowed())) return;
    // Filtered with the access just checked: a token re-scoped to fewer projects sees fewer at once.
    const frames = fresh
      .filter((e) => this.visible(e.event))
      .map(eventFrame)
      .join('');
    if (isAfter(upTo, this.position)) this.position = upTo;
    if (frames) this.send(frames);
  }

  close(): void {
    this.end(null, 'flush');
  }

  private visible(event: EventView): boolean {
    if (this.options.projectId !== null && event.projectId !== this.options.projectId) return false;
    const allowed = this.access.projectIds;
    return allowed === null || (event.projectId !== null && allowed.has(event.projectId));
  }

  private async beat(): Promise<void> {
    if (this.ended) return;
    // With the position the polls reached: a reconnection skips what this caller may not see.
    if (await this.stillAllowed()) this.send(`: ping\nid: ${positionCursor(this.position)}\n\n`);
  }

  private async stillAllowed(): Promise<boolean> {
    let outcome: WorkspaceAccess | AppError;
    try {
      outcome = await this.options.recheck();
    } catch (err) {
      // The check itself failed (database unreachable): close, and let the client retry later.
      this.options.log.error({ err }, 'event stream: could not authorise the caller again');
      this.end(null, 'flush');
      return false;
    }
    if (outcome instanceof AppError) {
      this.end({ code: outcome.code, message: outcome.message }, 'flush');
      return false;
    }
    this.access = outcome;
    return !this.ended;
  }

  private send(chunk: string): void {
    if (this.ended) return;
    this.res.write(chunk);
    // Too far behind: cut the socket at once, freeing its backlog; the client reconnects with Last-Event-ID.
    if (this.res.writableLength > MAX_BUFFERED_BYTES) this.end(null, 'cut');
  }

  /**
   * Ends the answer, first telling the client why when it must not reconnect. `flush` gives the last
   * bytes a moment to leave before the socket is cut; `cut` destroys it at once. The slot is freed
   * by the `close` listener, once the answer has been handed over whole or its socket is gone: never
   * while a client that does not read still holds a socket and a backlog.
   */
  private end(reason: { code: string; message: string } | null, how: 'flush' | 'cut'): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.heartbeat);
    this.stopListening();
    if (how === 'cut') {
      this.res.destroy();
    } else {
      if (reason) this.res.write(`event: end\ndata: ${JSON.stringify(reason)}\n\n`);
      this.res.end();
      this.flushTimer = setTimeout(() => this.res.destroy(), END_FLUSH_MS).unref();
    }
    // A socket gone before this stream listened for `close` (the client left during setup) emits no more.
    if (!this.res.socket || this.res.socket.destroyed) this.release();
  }

  private release(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.released) return;
    this.released = true;
    this.options.onClosed();
  }
}
