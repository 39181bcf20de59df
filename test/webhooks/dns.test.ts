import { afterEach, describe, expect, it } from 'vitest';
import { WebhookSender } from '../../src/webhooks/http-sender.js';
import { assertDeliverableUrl, dnsResolver, resolveSafeAddress } from '../../src/webhooks/url-safety.js';
import { FakeDns } from './fake-dns.js';

const servers: FakeDns[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function fakeDns(...args: Parameters<typeof FakeDns.start>): Promise<FakeDns> {
  const server = await FakeDns.start(...args);
  servers.push(server);
  return server;
}

describe('webhook DNS resolution', () => {
  it('asks a DNS server for A and AAAA records, and refuses a private answer of either kind', async () => {
    const dns = await fakeDns({
      'public.example.test': { a: ['93.184.216.34'], aaaa: ['2606:2800:220:1:248:1893:25c8:1946'] },
      'sneaky.example.test': { a: ['93.184.216.34'], aaaa: ['fd00:ec2::254'] },
      'private.example.test': { a: ['10.0.0.5'] },
    });
    const resolve = dnsResolver({ servers: [dns.server], timeoutMs: 500, tries: 1 });
    await expect(resolveSafeAddress('public.example.test', resolve)).resolves.toEqual({ address: '93.184.216.34', family: 4 });
    expect(dns.questions).toEqual(
      expect.arrayContaining([
        { name: 'public.example.test', type: 1 },
        { name: 'public.example.test', type: 28 },
      ]),
    );
    await expect(resolveSafeAddress('sneaky.example.test', resolve)).rejects.toThrow(/resolves to fd00:ec2::254/);
    await expect(resolveSafeAddress('private.example.test', resolve)).rejects.toThrow(/resolves to 10\.0\.0\.5/);
    await expect(resolveSafeAddress('gone.example.test', resolve)).rejects.toThrow(/gone\.example\.test does not resolve \(ENOTFOUND\)/);
  });

  it('answers localhost and literal addresses without asking DNS', async () => {
    const dns = await fakeDns({});
    const resolve = dnsResolver({ servers: [dns.server], timeoutMs: 500, tries: 1 });
    await expect(resolveSafeAddress('localhost', resolve)).rejects.toThrow(/resolves to 127\.0\.0\.1/);
    await expect(resolveSafeAddress('hooks.localhost', resolve)).rejects.toThrow(/resolves to 127\.0\.0\.1/);
    await expect(resolveSafeAddress('93.184.216.34', resolve)).resolves.toEqual({ address: '93.184.216.34', family: 4 });
    await expect(resolveSafeAddress('2606:4700:4700::1111', resolve)).resolves.toEqual({ address: '2606:4700:4700::1111', family: 6 });
    expect(dns.questions).toEqual([]);
  });

  it('gives up on a DNS server that never answers, at creation and at delivery', async () => {
    const dns = await fakeDns({}, { silent: true });
    // The resolver alone would wait 10 s: the creation's own deadline ends it first.
    const patient = dnsResolver({ servers: [dns.server], timeoutMs: 10_000, tries: 1 });
    const started = Date.now();
    await expect(assertDeliverableUrl('https://stalled.example.test/hook', false, patient, 300)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/stalled\.example\.test did not resolve within 300 ms/),
    });
    expect(Date.now() - started).toBeLessThan(2000);

    const brief = dnsResolver({ servers: [dns.server], timeoutMs: 200, tries: 1 });
    await expect(resolveSafeAddress('stalled.example.test', brief)).rejects.toThrow(/does not resolve \(ETIMEOUT\)/);
    const sender = new WebhookSender(patient);
    try {
      const outcome = await sender.send({
        url: 'https://stalled.example.test/hook',
        headers: {},
        body: '{}',
        timeoutMs: 300,
        allowPrivate: false,
      });
      expect(outcome).toMatchObject({ status: null, error: 'timed out after 300 ms' });
    } finally {
      sender.close();
    }
    expect(dns.questions.map((q) => q.name)).toContain('stalled.example.test');
  });
});
