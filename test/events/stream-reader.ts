import http from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { readServerSentEvents, type ServerSentItem } from '../../packages/client/src/resources/server-sent-events.js';

/** Short intervals, so tests wait on conditions for milliseconds rather than seconds. */
export const STREAM_TEST_ENV = {
  TASKGATE_EVENT_STREAM_POLL: '30ms',
  TASKGATE_EVENT_STREAM_HEARTBEAT: '150ms',
  TASKGATE_EVENT_STREAMS_PER_CREDENTIAL: '2',
};

export interface OpenStreamOptions {
  token?: string;
  /** A browser's session cookie instead of a Bearer token. */
  cookie?: string;
  lastEventId?: string;
  after?: string;
  projectId?: string;
}

/** A `text/event-stream` answer being read: what has arrived so far, and ways to wait for more. */
export interface StreamReader {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body of a refusal (not a stream). */
  body: any;
  items: ServerSentItem[];
  /** Event messages (not `end`) received so far. */
  events(): Array<{ id: string | null; type: string; data: any }>;
  /** Resolves once an item satisfying `match` has arrived; rejects if the stream ends or `timeoutMs` passes first. */
  waitFor(match: (item: ServerSentItem) => boolean, what: string, timeoutMs?: number): Promise<ServerSentItem>;
  /** Resolves once the server has closed the stream. */
  ended: Promise<void>;
  close(): void;
}

export function streamPath(workspaceId: string, options: Pick<OpenStreamOptions, 'after' | 'projectId'> = {}): string {
  const query = new URLSearchParams();
  if (options.after) query.set('after', options.after);
  if (options.projectId) query.set('projectId', options.projectId);
  const search = query.size > 0 ? `?${query}` : '';
  return `/api/v1/workspaces/${workspaceId}/events/stream${search}`;
}

/** The answer to a GET, on a connection of its own (fetch's pool would open a spare connection when a stream is aborted). */
function get(url: string, headers: Record<string, string>): Promise<{ res: http.IncomingMessage; req: http.ClientRequest }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent: false }, (res) => resolve({ res, req }));
    req.on('error', reject);
  });
}

/** Opens the event stream of a workspace over real HTTP and reads it in the background. */
export async function openStream(baseUrl: string, workspaceId: string, options: OpenStreamOptions = {}): Promise<StreamReader> {
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.cookie = `tg_session=${options.cookie}`;
  if (options.lastEventId) headers['last-event-id'] = options.lastEventId;
  const { res, req } = await get(baseUrl + streamPath(workspaceId, options), headers);
  const items: ServerSentItem[] = [];
  const waiters = new Set<() => void>();
  let done = false;
  const notify = () => {
    for (const waiter of [...waiters]) waiter();
  };
  let body: any = null;
  let ended: Promise<void>;
  if (res.statusCode === 200) {
    const stream = Readable.toWeb(res) as ReadableStream<Uint8Array>;
    ended = (async () => {
      try {
        for await (const item of readServerSentEvents(stream)) {
          items.push(item);
          notify();
        }
      } catch {
        // closed by close(), or the connection dropped: either way the stream is over
      } finally {
        done = true;
        notify();
      }
    })();
  } else {
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    body = text ? JSON.parse(text) : null;
    done = true;
    ended = Promise.resolve();
  }

  const waitFor = (match: (item: ServerSentItem) => boolean, what: string, timeoutMs = 30_000) =>
    new Promise<ServerSentItem>((resolve, reject) => {
      const check = () => {
        const found = items.find(match);
        if (found || done) {
          waiters.delete(check);
          clearTimeout(timer);
          if (found) resolve(found);
          else reject(new Error(`the stream ended before ${what}; it sent ${JSON.stringify(items)}`));
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no ${what} within ${timeoutMs} ms; the stream sent ${JSON.stringify(items)}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  return {
    status: res.statusCode ?? 0,
    headers: res.headers,
    body,
    items,
    events: () =>
      items.flatMap((item) =>
        item.kind === 'message' && item.event !== 'end' ? [{ id: item.id, type: item.event, data: JSON.parse(item.data) }] : [],
      ),
    waitFor,
    ended,
    close: () => req.destroy(),
  };
}

/** Matches the event message about one resource, of one type. */
export function eventAbout(type: string, resourceId: string) {
  return (item: ServerSentItem) =>
    item.kind === 'message' && item.event === type && (JSON.parse(item.data) as { resourceId: string }).resourceId === resourceId;
}

export const isEnd = (item: ServerSentItem) => item.kind === 'message' && item.event === 'end';

/** The sockets of a workspace's stream requests to `server`, gathered as they arrive, until `stop`. */
export function streamSocketsOf(server: http.Server, workspaceId: string): { sockets: Socket[]; stop(): void } {
  const sockets: Socket[] = [];
  const onRequest = (req: http.IncomingMessage) => {
    if (req.url?.startsWith(`/api/v1/workspaces/${workspaceId}/events/stream`)) sockets.push(req.socket);
  };
  server.on('request', onRequest);
  return { sockets, stop: () => void server.off('request', onRequest) };
}
