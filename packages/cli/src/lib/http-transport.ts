import http from 'node:http';
import https from 'node:https';

// Statuses whose answer has no body: a Response refuses to be built with one.
const NO_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * `fetch` for the client over node:http. Node 20's own fetch compiles its WebAssembly HTTP parser
 * on the first request, about 80 ms of a command that takes 250 (bench/cli-startup.ts); a CLI
 * makes a few requests per process, so it pays that every time. Failures look like fetch's: a
 * TypeError "fetch failed" with the system error as its cause, or the signal's reason on an abort.
 */
export async function nodeFetch(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
  const headers: Record<string, string> = {};
  for (const [name, value] of request.headers) headers[name] = value;
  if (body) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const sent = (url.protocol === 'https:' ? https : http).request(
      url,
      { method: request.method, headers, signal: request.signal },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('error', fail);
        answer.on('end', () => {
          const status = answer.statusCode ?? 502;
          const received = new Headers();
          for (let i = 0; i < answer.rawHeaders.length; i += 2) received.append(answer.rawHeaders[i]!, answer.rawHeaders[i + 1]!);
          resolve(
            new Response(NO_BODY.has(status) ? null : Buffer.concat(chunks), {
              status,
              statusText: answer.statusMessage ?? '',
              headers: received,
            }),
          );
        });
      },
    );
    function fail(error: Error): void {
      reject(request.signal.aborted ? request.signal.reason : new TypeError('fetch failed', { cause: error }));
    }
    sent.on('error', fail);
    sent.end(body);
  });
}
