import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { waitForValue } from '../helpers/wait.js';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Answer this many ms late (for timeouts). */
  delayMs?: number;
  /** Never answer (the connection stays open until the server closes). */
  hang?: boolean;
}

/** Decides the answer to each request; by default 200. Swap it at any time with `respond`. */
export type Responder = (request: ReceivedRequest, index: number) => Reply;

/** A real HTTP endpoint on 127.0.0.1 that records every request it gets. */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  private responder: Responder = () => ({ status: 200, body: 'ok' });
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  url = '';

  static async start(): Promise<Receiver> {
    const receiver = new Receiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/hook`;
    return receiver;
  }

  respond(responder: Responder): void {
    this.responder = responder;
  }

  /** Requests whose webhook-id is this. */
  byMessage(messageId: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.headers['webhook-id'] === messageId);
  }

  /** Waits until `predicate` holds on the requests so far. */
  async waitFor(predicate: (requests: ReceivedRequest[]) => boolean, timeoutMs = 10_000): Promise<ReceivedRequest[]> {
    await waitForValue(
      'the receiver to hear the requests (last: how many it heard)',
      () => this.requests.length,
      () => predicate(this.requests),
      { timeoutMs },
    );
    return this.requests;
  }

  /** Waits for the request at `index` (0: the first one) and returns it. */
  async nth(index: number, timeoutMs = 10_000): Promise<ReceivedRequest> {
    const requests = await this.waitFor((r) => r.length > index, timeoutMs);
    const request = requests[index];
    if (!request) throw new Error(`receiver: no request #${index}`);
    return request;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
      const received = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      const index = this.requests.push(received) - 1;
      const reply = this.responder(received, index);
      if (reply.hang) return;
      const send = () => res.writeHead(reply.status, reply.headers).end(reply.body ?? '');
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  }
}

/** A receiver started before the enclosing suite and closed after it; the getter is valid inside tests. */
export function receiverPerSuite(): () => Receiver {
  let receiver: Receiver | null = null;
  beforeAll(async () => {
    receiver = await Receiver.start();
  });
  afterAll(async () => {
    await receiver?.close();
  });
  return () => {
    if (!receiver) throw new Error('receiver: not started');
    return receiver;
  };
}
