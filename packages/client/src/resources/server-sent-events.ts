/**
 * One thing a `text/event-stream` said: a dispatched message, a block that only set the last event id
 * (which a reconnection sends as `Last-Event-ID`, as a browser's EventSource does), a reconnection delay,
 * or a comment (`: ping`).
 */
export type ServerSentItem =
  | { kind: 'message'; event: string; data: string; id: string | null }
  | { kind: 'id'; id: string }
  | { kind: 'retry'; ms: number }
  | { kind: 'comment'; text: string };

/** Splits off every complete line; a trailing `\r` waits, since a `\n` may follow in the next chunk. */
function takeLines(buffer: string, final: boolean): { lines: string[]; rest: string } {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < buffer.length; i++) {
    const char = buffer[i];
    if (char !== '\n' && char !== '\r') continue;
    if (char === '\r' && i === buffer.length - 1 && !final) break;
    lines.push(buffer.slice(start, i));
    if (char === '\r' && buffer[i + 1] === '\n') i++;
    start = i + 1;
  }
  return { lines, rest: buffer.slice(start) };
}

/** Reads lines into messages as the SSE specification says (WHATWG HTML, "Parsing an event stream"). */
class EventStreamParser {
  private data: string[] = [];
  private event = '';
  private lastEventId: string | null = null;
  /** This block set the id: without data it dispatches no message, but the id still counts. */
  private idInBlock = false;

  line(line: string): ServerSentItem | null {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return { kind: 'comment', text: line.slice(1).trimStart() };
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\u0000')) {
      this.lastEventId = value;
      this.idInBlock = true;
    } else if (field === 'retry' && /^\d+$/.test(value)) return { kind: 'retry', ms: Number(value) };
    return null;
  }

  private dispatch(): ServerSentItem | null {
    const data = this.data;
    const event = this.event || 'message';
    const idInBlock = this.idInBlock;
    this.data = [];
    this.event = '';
    this.idInBlock = false;
    if (data.length > 0) return { kind: 'message', event, data: data.join('\n'), id: this.lastEventId };
    return idInBlock && this.lastEventId !== null ? { kind: 'id', id: this.lastEventId } : null;
  }
}

/**
 * The items of a `text/event-stream` body as they arrive. Stopping the iteration (a `break`) cancels
 * the body, which closes the connection.
 */
export async function* readServerSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentItem> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new EventStreamParser();
  let buffer = '';
  let first = true;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      if (first && buffer.length > 0) {
        if (buffer.startsWith('\uFEFF')) buffer = buffer.slice(1);
        first = false;
      }
      const { lines, rest } = takeLines(buffer, done);
      buffer = rest;
      for (const line of lines) {
        const item = parser.line(line);
        if (item) yield item;
      }
      if (done) return;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
