import { hash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * Every Taskgate secret token: `tg` + kind letter + `_` + 32 random base62 characters + a 6-character
 * base62 CRC32 of everything before it. The checksum lets us (and secret scanners) reject a mistyped or
 * forged token without a database read.
 */
export const TOKEN_KINDS = { p: 'personal', w: 'workspace', a: 'agent', s: 'session' } as const;
export type TokenKind = (typeof TOKEN_KINDS)[keyof typeof TOKEN_KINDS];
type KindLetter = keyof typeof TOKEN_KINDS;

const LETTER_OF: Record<TokenKind, KindLetter> = { personal: 'p', workspace: 'w', agent: 'a', session: 's' };
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BODY_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
const TOKEN_PATTERN = /^tg([pwas])_([0-9A-Za-z]{38})$/;
/** How many leading characters are kept for masked display (`tgp_AbCdEf…`). */
export const DISPLAY_PREFIX_LENGTH = 10;

function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 62 * 4: rejecting the top of the byte range keeps every character equally likely.
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

function checksum(text: string): string {
  let value = crc32(text);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}

/** A fresh token of the given kind, from the cryptographic RNG. */
export function generateToken(kind: TokenKind): string {
  const head = `tg${LETTER_OF[kind]}_${randomBase62(BODY_LENGTH)}`;
  return head + checksum(head);
}

/** The token's kind when its shape and checksum are right, otherwise null. Touches no storage. */
export function parseToken(token: string): TokenKind | null {
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return null;
  const head = token.slice(0, token.length - CHECKSUM_LENGTH);
  if (checksum(head) !== token.slice(-CHECKSUM_LENGTH)) return null;
  return TOKEN_KINDS[match[1] as KindLetter];
}

/** What we store and look tokens up by: the SHA-256 hex digest, never the token. */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}

export function displayPrefix(token: string): string {
  return token.slice(0, DISPLAY_PREFIX_LENGTH);
}
