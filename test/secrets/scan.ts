import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { KnownSecret } from './secret-paths.js';

/** One way a secret could have been written down. */
export interface SecretForm {
  source: string;
  form: string;
  bytes: Buffer;
}

const PREFIXED = /^(tg[a-z]|whsec)_(.+)$/;

/**
 * Every spelling of a secret worth looking for: as issued, its random part without the prefix, and
 * its base64, base64url and hex encodings; for a webhook secret also the key bytes it stands for
 * (what signing uses), raw and in hex.
 */
export function formsOf(secret: KnownSecret): SecretForm[] {
  const forms: Array<[string, Buffer]> = [];
  const text = Buffer.from(secret.value, 'utf8');
  forms.push(
    ['as issued', text],
    ['base64', Buffer.from(text.toString('base64'))],
    ['base64url', Buffer.from(text.toString('base64url'))],
    ['hex', Buffer.from(text.toString('hex'))],
  );
  const prefixed = PREFIXED.exec(secret.value);
  if (prefixed) {
    forms.push(['without its prefix', Buffer.from(prefixed[2]!)]);
    if (prefixed[1] === 'whsec') {
      const key = Buffer.from(prefixed[2]!, 'base64');
      forms.push(['key bytes', key], ['key hex', Buffer.from(key.toString('hex'))]);
    }
  }
  return forms.map(([form, bytes]) => ({ source: secret.source, form, bytes }));
}

export interface Leak {
  where: string;
  source: string;
  form: string;
}

/** Where each form occurs in one haystack (a file, a dump, a log). */
export function leaksIn(where: string, haystack: Buffer, forms: SecretForm[]): Leak[] {
  return forms.filter((f) => haystack.includes(f.bytes)).map((f) => ({ where, source: f.source, form: f.form }));
}

/** Every regular file under `dir`, recursively (the SQLite file, its WAL and shared memory, keys, backups…). */
export function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

const run = promisify(execFile);

/** `pg_dump` of one schema as SQL text: what a backup of the database would hold. */
export async function pgDump(databaseUrl: string, schema: string): Promise<Buffer> {
  const { stdout } = await run('pg_dump', ['--no-owner', '--no-privileges', `--schema=${schema}`, databaseUrl], {
    encoding: 'buffer',
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout;
}
