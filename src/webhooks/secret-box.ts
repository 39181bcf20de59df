import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config.js';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const FORMAT = 'v1';
const KEY_CHECK_LABEL = 'taskgate webhook secrets key check v1';

/**
 * Encrypts webhook signing secrets at rest with AES-256-GCM. The row id is bound as associated data, so a
 * ciphertext copied onto another webhook's row does not decrypt.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== KEY_BYTES) throw new Error(`the encryption key must be ${KEY_BYTES} bytes`);
  }

  seal(plaintext: string, boundTo: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(boundTo));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
  }

  /** Throws when the ciphertext was tampered with, bound to another row, or sealed under another key. */
  open(sealed: string, boundTo: string): string {
    const [format, iv, tag, body] = sealed.split('.');
    if (format !== FORMAT || !iv || !tag || body === undefined) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(boundTo));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
  }

  /** Names the key without revealing it: HMAC-SHA256 of a fixed label under the key. */
  keyCheck(): string {
    return createHmac('sha256', this.key).update(KEY_CHECK_LABEL).digest('base64');
  }
}

export const KEY_FILE_NAME = 'encryption.key';

function keyFromFile(file: string): Buffer {
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`${file} does not hold a ${KEY_BYTES}-byte base64 key`);
  return key;
}

/**
 * TASKGATE_ENCRYPTION_KEY when set; otherwise `<dataDir>/encryption.key`, created (mode 0600) on first use.
 * Several servers sharing one PostgreSQL database must share the key: set the variable on each of them
 * (key-check.ts refuses to start a server whose key is not the one the database's secrets use).
 */
export function loadEncryptionKey(config: Pick<Config, 'encryptionKey' | 'dataDir'>): Buffer {
  if (config.encryptionKey) return Buffer.from(config.encryptionKey, 'base64');
  const file = path.join(config.dataDir, KEY_FILE_NAME);
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 }); // a new data folder is the owner's alone, as for SQLite
  if (!fs.existsSync(file)) {
    // Written aside then linked into place: link fails when the file exists, so two processes starting
    // together agree on one key, and nobody ever reads a half-written file.
    const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    fs.writeFileSync(draft, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    try {
      fs.linkSync(draft, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.unlinkSync(draft);
    }
  }
  return keyFromFile(file);
}

const boxes = new Map<string, SecretBox>();

/** One box per key source, built on first use (the key file is read once per process). */
export function secretBoxFor(config: Pick<Config, 'encryptionKey' | 'dataDir'>): SecretBox {
  const source = config.encryptionKey ? `env:${config.encryptionKey}` : `file:${config.dataDir}`;
  let box = boxes.get(source);
  if (!box) {
    box = new SecretBox(loadEncryptionKey(config));
    boxes.set(source, box);
  }
  return box;
}
