import { describe, expect, it } from 'vitest';
import { readServerSentEvents, type ServerSentItem } from '../../packages/client/src/resources/server-sent-events.js';

/** A body that arrives in the given pieces. */
function body(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

async function parse(chunks: Uint8Array[]): Promise<ServerSentItem[]> {
  const items: ServerSentItem[] = [];
  for await (const item of readServerSentEvents(body(chunks))) items.push(item);
  return items;
}

// Every line ending the specification allows, a BOM, a multi-line data field, a comment, an id without
// data (reported, as it changes Last-Event-ID, and kept for the next message), a ping carrying an id,
// and a character of several UTF-8 bytes.
const STREAM =
  '\uFEFFretry: 2000\nid: 0\r\n\r\n: ping\n\nid: 1\nevent: task.created\ndata: {"title":"é"}\n\n' +
  'data: line one\rdata: line two\r\n\r\nid: 2\n\n: ping\nid: 3\n\nevent: end\ndata: {"code":"TOKEN_REVOKED"}\n\n';

const EXPECTED: ServerSentItem[] = [
  { kind: 'retry', ms: 2000 },
  { kind: 'id', id: '0' },
  { kind: 'comment', text: 'ping' },
  { kind: 'message', event: 'task.created', data: '{"title":"é"}', id: '1' },
  { kind: 'message', event: 'message', data: 'line one\nline two', id: '1' },
  { kind: 'id', id: '2' },
  { kind: 'comment', text: 'ping' },
  { kind: 'id', id: '3' },
  { kind: 'message', event: 'end', data: '{"code":"TOKEN_REVOKED"}', id: '3' },
];

describe('readServerSentEvents', () => {
  it('reads messages, comments and retry hints as the specification says', async () => {
    expect(await parse([new TextEncoder().encode(STREAM)])).toEqual(EXPECTED);
  });

  it('reads the same however the bytes are split into chunks', async () => {
    const bytes = new TextEncoder().encode(STREAM);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await parse([bytes.slice(0, cut), bytes.slice(cut)]), `cut at byte ${cut}`).toEqual(EXPECTED);
    }
  });

  it('drops a message the stream ended in the middle of', async () => {
    expect(await parse([new TextEncoder().encode('data: complete\n\ndata: cut off')])).toEqual([
      { kind: 'message', event: 'message', data: 'complete', id: null },
    ]);
  });
});
