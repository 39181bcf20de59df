import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KEY_FILE_NAME, loadEncryptionKey, SecretBox } from '../../src/webhooks/secret-box.js';
import { generateSigningSecret } from '../../src/webhooks/signing.js';
import { cleanupsAfterEach } from '../helpers/cleanups.js';

const cleanups = cleanupsAfterEach('taskgate-key-');
const freshDir = () => cleanups.tempDir();

describe('webhook secret encryption', () => {
  it('generates the key file once, readable by its owner only, and reuses it', () => {
    const dataDir = path.join(freshDir(), 'nested');
    const key = loadEncryptionKey({ encryptionKey: null, dataDir });
    const file = path.join(dataDir, KEY_FILE_NAME);
    expect(key).toHaveLength(32);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadEncryptionKey({ encryptionKey: null, dataDir }).equals(key)).toBe(true);
    expect(fs.readdirSync(dataDir)).toEqual([KEY_FILE_NAME]);
  });

  it('prefers TASKGATE_ENCRYPTION_KEY and then writes no file', () => {
    const dataDir = freshDir();
    const given = randomBytes(32);
    expect(loadEncryptionKey({ encryptionKey: given.toString('base64'), dataDir }).equals(given)).toBe(true);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('round-trips, and refuses a tampered ciphertext, another row, or another key', () => {
    const box = new SecretBox(randomBytes(32));
    const secret = generateSigningSecret();
    const sealed = box.seal(secret, 'whk_1');
    expect(sealed).not.toContain(secret.slice(6));
    expect(box.open(sealed, 'whk_1')).toBe(secret);
    expect(box.seal(secret, 'whk_1')).not.toBe(sealed);
    expect(() => box.open(sealed, 'whk_2')).toThrow();
    const [format, iv, tag, body] = sealed.split('.');
    const flipped = Buffer.from(body ?? '', 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => box.open([format, iv, tag, flipped.toString('base64')].join('.'), 'whk_1')).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'whk_1')).toThrow();
  });
});
