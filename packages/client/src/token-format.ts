/**
 * Taskgate's secret tokens, recognised without the server: `tg` + a kind letter + `_` + 32 random base62
 * characters + a 6-character base62 CRC-32 of everything before it (README, "Token format"). Plain
 * string work, no Node built-ins, so it runs in a browser too.
 */
export type TaskgateTokenKind = 'personal' | 'workspace' | 'agent' | 'delegated' | 'session';

/** One token found in a text. `index` is the offset in the string; `line` and `column` count from 1. */
export interface TaskgateSecret {
  token: string;
  kind: TaskgateTokenKind;
  index: number;
  line: number;
  column: number;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const PREFIX_LENGTH = 4;
const CHECKSUM_LENGTH = 6;
const TOKEN_LENGTH = PREFIX_LENGTH + 32 + CHECKSUM_LENGTH;
const UNDERSCORE = 0x5f;

const KIND_OF_LETTER: Readonly<Record<string, TaskgateTokenKind>> = {
  p: 'personal',
  w: 'workspace',
  a: 'agent',
  d: 'delegated',
  s: 'session',
};

// Each ASCII character's base62 digit, -1 for characters outside the alphabet.
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE62.length; i++) DIGIT[BASE62.charCodeAt(i)] = i;

// CRC-32 with zlib's polynomial, by table: the token is ASCII, so its characters are its bytes.
const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, byte) => {
  let c = byte;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

function digitAt(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? DIGIT[code]! : -1;
}

function isWordCharacter(code: number): boolean {
  return code === UNDERSCORE || (code < 128 && DIGIT[code]! >= 0);
}

/** The kind of the token at `start` when its shape and checksum are right (boundaries not checked). */
function tokenKindAt(text: string, start: number): TaskgateTokenKind | null {
  if (start + TOKEN_LENGTH > text.length) return null;
  if (text.charCodeAt(start) !== 0x74 /* t */ || text.charCodeAt(start + 1) !== 0x67 /* g */ || text.charCodeAt(start + 3) !== UNDERSCORE)
    return null;
  const kind = KIND_OF_LETTER[text[start + 2]!];
  if (kind === undefined) return null;
  const head = start + TOKEN_LENGTH - CHECKSUM_LENGTH;
  let crc = 0xffffffff;
  for (let i = start; i < head; i++) {
    if (i >= start + PREFIX_LENGTH && digitAt(text, i) < 0) return null;
    crc = CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  }
  // Six base62 digits, most significant first, hold any CRC-32 exactly once.
  let written = 0;
  for (let i = head; i < start + TOKEN_LENGTH; i++) {
    const digit = digitAt(text, i);
    if (digit < 0) return null;
    written = written * 62 + digit;
  }
  return written === (crc ^ 0xffffffff) >>> 0 ? kind : null;
}

/** Whether `text` is exactly one Taskgate token whose checksum verifies. */
export function isTaskgateToken(text: string): boolean {
  return text.length === TOKEN_LENGTH && tokenKindAt(text, 0) !== null;
}

/**
 * Every Taskgate token in `text`, in order: each match of `tg[pwads]_[0-9A-Za-z]{38}` that is not part of a
 * longer word (the characters either side are not `[0-9A-Za-z_]`) and whose checksum verifies. Lines end
 * at `\n`; columns count UTF-16 code units, as `index` does. Line numbers are counted once, forward, so a
 * large text costs one pass.
 */
export function findTaskgateSecrets(text: string): TaskgateSecret[] {
  const found: TaskgateSecret[] = [];
  let line = 1;
  let lineStart = 0;
  let nextLineFeed = text.indexOf('\n');
  for (let at = text.indexOf('tg'); at !== -1; at = text.indexOf('tg', at + 1)) {
    if (at > 0 && isWordCharacter(text.charCodeAt(at - 1))) continue;
    const end = at + TOKEN_LENGTH;
    if (end < text.length && isWordCharacter(text.charCodeAt(end))) continue;
    const kind = tokenKindAt(text, at);
    if (kind === null) continue;
    while (nextLineFeed !== -1 && nextLineFeed < at) {
      line++;
      lineStart = nextLineFeed + 1;
      nextLineFeed = text.indexOf('\n', lineStart);
    }
    found.push({ token: text.slice(at, end), kind, index: at, line, column: at - lineStart + 1 });
    at = end - 1;
  }
  return found;
}
