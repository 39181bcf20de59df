import { describe, expect, it } from 'vitest';
import { WebhookSender } from '../../src/webhooks/http-sender.js';
import { assertDeliverableUrl, isForbiddenAddress, resolveSafeAddress, type Resolver } from '../../src/webhooks/url-safety.js';
import { Receiver } from './receiver.js';

describe('webhook destination checks', () => {
  it('classifies addresses, IPv4-mapped IPv6 included', () => {
    for (const address of [
      '127.0.0.1',
      '10.0.0.1',
      '172.31.255.255',
      '192.168.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '255.255.255.255',
      '::1',
      '::',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '::ffff:a9fe:a9fe',
      'fe80::1',
      'fd00:ec2::254',
      'fc00::1',
      'ff02::1',
      '64:ff9b::7f00:1',
      '::ffff:0:7f00:1',
      '::ffff:0:a9fe:a9fe',
      '::ffff:0:808:808',
      'not-an-ip',
    ]) {
      expect(isForbiddenAddress(address), address).toBe(true);
    }
    for (const address of ['8.8.8.8', '93.184.216.34', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect(isForbiddenAddress(address), address).toBe(false);
    }
  });

  it('refuses a host when any address it resolves to is private', async () => {
    const resolver: Resolver = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.5', family: 4 },
    ];
    await expect(resolveSafeAddress('mixed.example.test', resolver)).rejects.toThrow(/10\.0\.0\.5/);
    const publicOnly: Resolver = async () => [{ address: '93.184.216.34', family: 4 }];
    await expect(resolveSafeAddress('fine.example.test', publicOnly)).resolves.toEqual({ address: '93.184.216.34', family: 4 });
    const nothing: Resolver = async () => {
      throw new Error('ENOTFOUND');
    };
    await expect(resolveSafeAddress('gone.example.test', nothing)).rejects.toThrow(/does not resolve/);
  });

  it('refuses at creation a name that resolves privately, unless private targets are allowed', async () => {
    const toLoopback: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
    await expect(assertDeliverableUrl('https://hooks.example.test/x', false, toLoopback)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(assertDeliverableUrl('https://hooks.example.test/x', true, toLoopback)).resolves.toBeInstanceOf(URL);
    await expect(assertDeliverableUrl('ftp://hooks.example.test/x', true, toLoopback)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('checks again at delivery: a name that now resolves to loopback is refused without connecting', async () => {
    const receiver = await Receiver.start();
    try {
      let calls = 0;
      // Public at the first lookup, loopback afterwards: the classic rebinding answer.
      const rebinding: Resolver = async () =>
        calls++ === 0 ? [{ address: '93.184.216.34', family: 4 }] : [{ address: '127.0.0.1', family: 4 }];
      await assertDeliverableUrl(`http://rebind.example.test:${new URL(receiver.url).port}/hook`, false, rebinding);
      const sender = new WebhookSender(rebinding);
      const outcome = await sender.send({
        url: `http://rebind.example.test:${new URL(receiver.url).port}/hook`,
        headers: {},
        body: '{}',
        timeoutMs: 1000,
        allowPrivate: false,
      });
      sender.close();
      expect(outcome).toMatchObject({ status: null, error: expect.stringMatching(/^refused: .*127\.0\.0\.1/) });
      expect(receiver.requests).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });
});
