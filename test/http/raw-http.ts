import net from 'node:net';

export interface RawAnswer {
  status: number;
  headers: Map<string, string>;
  body: string;
  /** Whether the server closed the connection after the answer. */
  closed: boolean;
}

/**
 * Sends bytes as they are (no client library would send a malformed request) and reads one answer.
 * `parts` are written one after another, `gapMs` apart; the answer is whatever the server writes
 * before it closes the connection (or `waitMs` passes).
 */
export function rawRequest(
  url: string,
  parts: Array<string | Buffer>,
  options: { gapMs?: number; waitMs?: number } = {},
): Promise<RawAnswer> {
  const { port, hostname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      if (split === -1) return reject(new Error(`no answer (closed: ${closed}): ${JSON.stringify(text)}`));
      const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
      const headers = new Map<string, string>();
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, body: text.slice(split + 4), closed });
    };
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      finish();
    });
    timer = setTimeout(() => {
      socket.destroy();
    }, options.waitMs ?? 10_000);
    void (async () => {
      for (const [i, part] of parts.entries()) {
        if (i > 0) await new Promise((r) => setTimeout(r, options.gapMs ?? 0));
        if (socket.destroyed) return;
        socket.write(part);
      }
    })();
  });
}

export interface OpenSocket {
  /** What the server wrote before `rawSocket` returned (its first answer, when awaited). */
  answered: string;
  /** Resolves when the server closes the connection. */
  closed: Promise<void>;
}

/** Opens a connection, writes `data` and leaves the socket open (an idle keep-alive client, a slow body). */
export function rawSocket(url: string, data: string, options: { awaitAnswer?: boolean } = {}): Promise<OpenSocket> {
  const { port, hostname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(data));
    let answered = '';
    const closed = new Promise<void>((done) => socket.on('close', () => done()));
    socket.on('error', () => undefined);
    socket.on('data', (d: Buffer) => {
      answered += d.toString('latin1');
      if (answered.includes('\r\n\r\n')) resolve({ answered, closed });
    });
    if (options.awaitAnswer === false) socket.on('connect', () => resolve({ answered, closed }));
    else void closed.then(() => reject(new Error(`closed before an answer: ${answered}`)));
  });
}
