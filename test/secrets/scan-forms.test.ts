import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formsOf, leaksIn } from './scan.js';

// The scan passes when it finds nothing: these show that it would find each spelling it claims to.
describe('secrets scan: the spellings it looks for', () => {
  const key = randomBytes(32);
  const webhook = { source: 'webhook secret', value: `whsec_${key.toString('base64')}` };
  const token = { source: 'personal token', value: `tgp_${randomBytes(24).toString('base64url')}` };

  it('finds a token as issued, without its prefix, and in base64, base64url and hex', () => {
    const forms = formsOf(token);
    for (const [form, text] of [
      ['as issued', token.value],
      ['without its prefix', token.value.slice(4)],
      ['base64', Buffer.from(token.value).toString('base64')],
      ['base64url', Buffer.from(token.value).toString('base64url')],
      ['hex', Buffer.from(token.value).toString('hex')],
    ] as const) {
      const found = leaksIn('log', Buffer.from(`before ${text} after`), forms).map((l) => l.form);
      expect(found, form).toContain(form);
    }
  });

  it('finds the key bytes a webhook secret stands for, raw among binary data and in hex', () => {
    const forms = formsOf(webhook);
    expect(leaksIn('file', Buffer.concat([randomBytes(100), key, randomBytes(100)]), forms).map((l) => l.form)).toEqual(['key bytes']);
    expect(leaksIn('dump', Buffer.from(`x${key.toString('hex')}x`), forms).map((l) => l.form)).toEqual(['key hex']);
  });

  it('finds nothing in data that does not hold the secret', () => {
    expect(leaksIn('file', randomBytes(4096), [...formsOf(token), ...formsOf(webhook)])).toEqual([]);
  });
});
