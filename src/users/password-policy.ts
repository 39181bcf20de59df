import { readFileSync } from 'node:fs';
import type { AppError } from '../errors/app-error.js';
import { invalidField } from '../errors/validation.js';

/** Long passphrases are welcome; past this, hashing a password becomes a way to spend our CPU. */
export const PASSWORD_MAX_LENGTH = 256;
export const DEFAULT_PASSWORD_MIN_LENGTH = 12;

// Read once, at start-up, from the file beside this module (the list ships with the server; nothing is fetched).
const COMMON = new Set(
  readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.toLowerCase()),
);

function refuse(message: string): AppError {
  return invalidField('password', message, 'WEAK_PASSWORD');
}

/**
 * NIST SP 800-63B: a minimum length (`minLength`, 12 by default), no composition rules, and no password
 * that is common, blank, one repeated character, or the account's own email. Length counts characters
 * (code points), so any printable text, spaces and emoji included, makes a passphrase.
 */
export function checkPassword(password: string, minLength: number, email: string): void {
  const length = [...password].length;
  if (length < minLength) throw refuse(`must have at least ${minLength} characters`);
  if (length > PASSWORD_MAX_LENGTH) throw refuse(`must have at most ${PASSWORD_MAX_LENGTH} characters`);
  if (password.trim() === '') throw refuse('cannot be only spaces');
  if ([...password].every((char) => char === password[0])) throw refuse('cannot be one character repeated');
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) throw refuse('is one of the most common passwords; choose another');
  const address = email.trim().toLowerCase();
  if (lower === address || lower === address.split('@')[0]) throw refuse('cannot be your email address');
}
