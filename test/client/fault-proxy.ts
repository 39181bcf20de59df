import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does with the request at `index` (0: the first it gets). */
export type Fault =
  | { kind: 'forward' }
  | { kind: 'answer'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'drop' }
  | { kind: 'delay'; ms: number };

/**
 * A real HTTP proxy in front of a Taskgate server that can answer, drop or delay chosen requests:
 * the faults a client meets on real networks (a 429 from a gateway, a 503 during a deploy, a reset
 * connection), injected without touching the server.
 */
export class FaultProxy {
  readonly seen: Array<{ method: string; path: string }> = [];
  url = '';
  private plan: (index: number) => Fault = () => ({ kind: 'forward' });
  private readonly server = http.createServer((req, res) => this.handle(req, res));

  private constructor(private readonly target: string) {}

  static async start(target: string): Promise<FaultProxy> {
    const proxy = new FaultProxy(target);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.url = `http://127.0.0.1:${(proxy.server.address() as AddressInfo).port}`;
    return proxy;
  }

  /** From now on, request `index` (counted from this call) meets `plan(index)`. */
  faults(plan: (index: number) => Fault): void {
    this.seen.length = 0;
    this.plan = plan;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const index = this.seen.push({ method: req.method ?? '', path: req.url ?? '' }) - 1;
    const fault = this.plan(index);
    if (fault.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault.kind === 'answer') {
      req.resume();
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers }).end(fault.body ?? '');
      return;
    }
    const forward = () => {
      const upstream = http.request(`${this.target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    if (fault.kind === 'delay') setTimeout(forward, fault.ms);
    else forward();
  }
}
