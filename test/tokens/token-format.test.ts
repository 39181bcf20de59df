import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, generateToken, parseToken, type TokenKind } from '../../src/credentials/token-format.js';

// The checksum is computed without zlib on the hot path; scanners and other implementations use the
// standard CRC-32, so the two must agree on every token we issue.
const KINDS: TokenKind[] = ['personal', 'workspace', 'agent', 'session'];

function replaceAt(text: string, index: number, character: string): string {
  return text.slice(0, index) + character + text.slice(index + 1);
}

describe('token format', () => {
  it('checksums every generated token with the standard CRC-32 and accepts it as its kind', () => {
    for (let i = 0; i < 2000; i++) {
      const kind = KINDS[i % KINDS.length]!;
      const token = generateToken(kind);
      expect(crc32(token)).toBe(zlibCrc32(token));
      expect(parseToken(token)).toBe(kind);
    }
  });

  it('refuses any single changed character, a non-base62 character, a wrong kind letter or length', () => {
    const token = generateToken('personal');
    for (let i = 4; i < token.length; i++) {
      expect(parseToken(replaceAt(token, i, token[i] === 'A' ? 'B' : 'A'))).toBeNull();
      expect(parseToken(replaceAt(token, i, 'é'))).toBeNull();
      expect(parseToken(replaceAt(token, i, '-'))).toBeNull();
    }
    expect(parseToken(replaceAt(token, 2, 'x'))).toBeNull();
    expect(parseToken(replaceAt(token, 3, '-'))).toBeNull();
    expect(parseToken(replaceAt(token, 0, 'T'))).toBeNull();
    expect(parseToken(`${token}A`)).toBeNull();
    expect(parseToken(token.slice(0, -1))).toBeNull();
  });
});
