import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Taskgate } from '../../packages/client/src/index.js';

/**
 * A server (a misbehaving proxy, say) that accepts every stream and drops it before sending anything
 * but a short reconnection delay: the client must back off further each time, not start over.
 */
async function acceptAndDrop(): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server = http.createServer((_req, res) => {
    count++;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end('retry: 20\n\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => count,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('client.events.stream reconnection backoff', () => {
  afterEach(() => vi.restoreAllMocks());

  it('keeps doubling while connections are accepted but say nothing', async () => {
    const server = await acceptAndDrop();
    // No jitter: the waits are exactly the server's delay, doubled per failure.
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const abort = new AbortController();
    const stream = new Taskgate({ baseUrl: server.url, token: 'tgs_unused' }).events.stream('wsp_x', {
      signal: abort.signal,
      maxBackoffMs: 10_000,
    });
    const reading = (async () => {
      for await (const _ of stream) throw new Error('this server sends no event');
    })();
    try {
      await expect.poll(() => server.connections(), { timeout: 30_000 }).toBeGreaterThanOrEqual(5);
    } finally {
      abort.abort();
      await reading;
      await server.close();
    }
    const waits = timers.mock.calls.map(([, ms]) => ms).filter((ms) => [20, 40, 80, 160].includes(ms as number));
    expect(waits.slice(0, 4)).toEqual([20, 40, 80, 160]);
  });
});
