import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withinMs } from '../../src/ratelimit/redis-fallback.js';

const ECHO_SERVER =
  "require('net').createServer((s) => s.on('data', (d) => s.write(d)))" +
  ".listen(0, '127.0.0.1', function () { console.log(this.address().port) })";

describe('a bounded Redis call', () => {
  // The echo answers from another process, as Redis would: it arrives while this one is busy.
  let echoServer: ChildProcess;
  let port = 0;
  beforeAll(async () => {
    echoServer = spawn(process.execPath, ['-e', ECHO_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
    port = await new Promise<number>((resolve) =>
      echoServer.stdout?.once('data', (data: Buffer) => resolve(Number(data.toString().trim()))),
    );
  });
  afterAll(() => void echoServer.kill('SIGKILL'));

  it('counts an answer that arrived while this process was busy, rather than calling it a timeout', async () => {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const reply = new Promise<string>((resolve) => socket.once('data', (data) => resolve(data.toString())));
    socket.write('PING');
    const bounded = withinMs(reply, 10);
    // A synchronous stretch longer than the bound: the echo arrives meanwhile and the timer expires too.
    const until = Date.now() + 100;
    while (Date.now() < until) {
      /* busy */
    }
    try {
      await expect(bounded).resolves.toBe('PING');
    } finally {
      socket.destroy();
    }
  });

  it('rejects when no answer comes within the bound', async () => {
    await expect(withinMs(new Promise(() => undefined), 10)).rejects.toThrow('Redis did not answer within 10 ms');
  });
});
