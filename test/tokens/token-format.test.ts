import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { generateToken, parseToken, type TokenKind } from '../../src/credentials/token-format.js';

// Scanners and other implementations check the standard CRC-32 of a token's first 36 characters, written
// as six base62 digits: every token we issue must carry exactly that.
const KINDS: TokenKind[] = ['personal', 'workspace', 'agent', 'session'];

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function replaceAt(text: string, index: number, character: string): string {
  return text.slice(0, index) + character + text.slice(index + 1);
}

describe('token format', () => {
  it('checksums every generated token with the standard CRC-32 and accepts it as its kind', () => {
    for (let i = 0; i < 2000; i++) {
      const kind = KINDS[i % KINDS.length]!;
      const token = generateToken(kind);
      let written = 0;
      for (const character of token.slice(-6)) written = written * 62 + BASE62.indexOf(character);
      expect(written).toBe(zlibCrc32(token.slice(0, -6)));
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
