import { hash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * Every Taskgate secret token: `tg` + kind letter + `_` + 32 random base62 characters + a 6-character
 * base62 CRC32 of everything before it. The checksum lets us (and secret scanners) reject a mistyped or
 * forged token without a database read.
 */
const TOKEN_KINDS = { p: 'personal', w: 'workspace', a: 'agent', d: 'delegated', s: 'session' } as const;
export type TokenKind = (typeof TOKEN_KINDS)[keyof typeof TOKEN_KINDS];
type KindLetter = keyof typeof TOKEN_KINDS;

const LETTER_OF: Record<TokenKind, KindLetter> = { personal: 'p', workspace: 'w', agent: 'a', delegated: 'd', session: 's' };
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BODY_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
const TOKEN_LENGTH = 4 + BODY_LENGTH + CHECKSUM_LENGTH;
/** How many leading characters are kept for masked display (`tgp_AbCdEf…`). */
const DISPLAY_PREFIX_LENGTH = 10;

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

// Each ASCII character's base62 digit, -1 for characters outside the alphabet.
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE62.length; i++) DIGIT[BASE62.charCodeAt(i)] = i;

function digitAt(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? DIGIT[code]! : -1;
}

function kindOfLetter(code: number): TokenKind | null {
  switch (code) {
    case 0x70:
      return TOKEN_KINDS.p;
    case 0x77:
      return TOKEN_KINDS.w;
    case 0x61:
      return TOKEN_KINDS.a;
    case 0x64:
      return TOKEN_KINDS.d;
    case 0x73:
      return TOKEN_KINDS.s;
    default:
      return null;
  }
}

/** A fresh token of the given kind, from the cryptographic RNG. */
export function generateToken(kind: TokenKind): string {
  const head = `tg${LETTER_OF[kind]}_${randomBase62(BODY_LENGTH)}`;
  return head + checksum(head);
}

/**
 * The token's kind when its shape and checksum are right, otherwise null. Touches no storage: refusing a
 * flood of made-up tokens is the hot path of an attack.
 */
export function parseToken(token: string): TokenKind | null {
  if (
    token.length !== TOKEN_LENGTH ||
    token.charCodeAt(0) !== 0x74 /* t */ ||
    token.charCodeAt(1) !== 0x67 /* g */ ||
    token.charCodeAt(3) !== 0x5f /* _ */
  )
    return null;
  const kind = kindOfLetter(token.charCodeAt(2));
  if (kind === null) return null;
  const head = TOKEN_LENGTH - CHECKSUM_LENGTH;
  for (let i = 4; i < head; i++) if (digitAt(token, i) < 0) return null;
  // The checksum read back as a number: six base62 digits hold any CRC-32 exactly once.
  let written = 0;
  for (let i = head; i < TOKEN_LENGTH; i++) {
    const digit = digitAt(token, i);
    if (digit < 0) return null;
    written = written * 62 + digit;
  }
  return written === crc32(token.slice(0, head)) ? kind : null;
}

/** What we store and look tokens up by: the SHA-256 hex digest, never the token. */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}

export function displayPrefix(token: string): string {
  return token.slice(0, DISPLAY_PREFIX_LENGTH);
}
