import type { FastifyBaseLogger } from 'fastify';
import type { Db, DialectName } from '../db/database.js';
import { isAfter, type EventPosition } from './event-position.js';
import { eventsAfter, type PositionedEvent } from './event-stream.queries.js';

/** Events read per poll; a full batch is followed by another poll at once. */
const POLL_BATCH = 200;

/** One open stream, as the hub sees it. */
export interface StreamListener {
  readonly workspaceId: string;
  /** The last position this listener has been given; it never receives an event at or before it. */
  readonly position: EventPosition;
  /**
   * Takes the events of one poll past its position (possibly none of them for it) and moves its
   * position to `upTo`; resolves once they are written or dropped.
   */
  receive(events: readonly PositionedEvent[], upTo: EventPosition): Promise<void>;
  /** Ends the stream (the server is shutting down). */
  close(): void;
}

/**
 * Reads one workspace's new events for all of its open streams: one query per interval, however
 * many streams are open, from the position of the stream furthest behind. Events are in the database,
 * so changes made by any server process arrive.
 */
class WorkspacePoller {
  readonly listeners = new Set<StreamListener>();
  private timer: NodeJS.Timeout | null = null;
  private polling = false;

  constructor(
    private readonly workspaceId: string,
    private readonly read: (workspaceId: string, after: EventPosition) => Promise<PositionedEvent[]>,
    private readonly intervalMs: number,
    private readonly log: FastifyBaseLogger,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.poll(), this.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      // A full batch means more are waiting: read on rather than leave streams a whole interval behind.
      while (await this.pollOnce());
    } catch (err) {
      this.log.error({ err, workspaceId: this.workspaceId }, 'event stream poll failed');
    } finally {
      this.polling = false;
    }
  }

  /** One read for the listeners open now; true when the batch was full. */
  private async pollOnce(): Promise<boolean> {
    const listeners = [...this.listeners];
    const first = listeners[0];
    if (!first) return false;
    const from = listeners.reduce((min, l) => (isAfter(min, l.position) ? l.position : min), first.position);
    const events = await this.read(this.workspaceId, from);
    const last = events.at(-1);
    if (!last) return false;
    await Promise.all(listeners.map((listener) => listener.receive(events, last.position)));
    return events.length === POLL_BATCH;
  }
}

/**
 * The event streams of one server process: a poller per workspace with open streams, and the count of
 * open streams per credential. The bound holds per process; behind a load balancer with several
 * processes a credential may hold that many streams on each.
 */
export class EventStreamHub {
  private readonly pollers = new Map<string, WorkspacePoller>();
  private readonly openByCredential = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly dialect: DialectName,
    private readonly options: { pollMs: number; maxPerCredential: number },
    private readonly log: FastifyBaseLogger,
  ) {}

  /** The server is shutting down: no stream may open. */
  get closing(): boolean {
    return this.closed;
  }

  /** Takes one of the credential's stream slots; false when all are in use. */
  claimSlot(credential: string): boolean {
    const open = this.openByCredential.get(credential) ?? 0;
    if (open >= this.options.maxPerCredential) return false;
    this.openByCredential.set(credential, open + 1);
    return true;
  }

  releaseSlot(credential: string): void {
    const open = (this.openByCredential.get(credential) ?? 1) - 1;
    if (open > 0) this.openByCredential.set(credential, open);
    else this.openByCredential.delete(credential);
  }

  /** Starts feeding a stream its workspace's events; the returned function stops it. */
  listen(listener: StreamListener): () => void {
    let poller = this.pollers.get(listener.workspaceId);
    if (!poller) {
      const read = (workspaceId: string, after: EventPosition) => eventsAfter(this.db, this.dialect, workspaceId, after, POLL_BATCH);
      poller = new WorkspacePoller(listener.workspaceId, read, this.options.pollMs, this.log);
      this.pollers.set(listener.workspaceId, poller);
    }
    poller.listeners.add(listener);
    poller.start();
    const feeding = poller;
    return () => {
      feeding.listeners.delete(listener);
      if (feeding.listeners.size > 0) return;
      feeding.stop();
      if (this.pollers.get(listener.workspaceId) === feeding) this.pollers.delete(listener.workspaceId);
    };
  }

  /** Ends every open stream and refuses new ones (the server is shutting down). */
  close(): void {
    this.closed = true;
    for (const poller of [...this.pollers.values()]) for (const listener of [...poller.listeners]) listener.close();
  }
}
