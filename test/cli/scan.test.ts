import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { isIgnored, parseGitignore } from '../../packages/cli/src/lib/gitignore.js';
import { findTaskgateSecrets, isTaskgateToken } from '../../packages/client/src/index.js';
import { generateToken, type TokenKind } from '../../src/credentials/token-format.js';
import { runCli } from './run.js';

const KINDS: TokenKind[] = ['personal', 'workspace', 'agent', 'session'];
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The README's recipe, on zlib's CRC-32: any `head` gets the checksum a scanner would expect of it. */
function withChecksum(head: string): string {
  let value = zlibCrc32(head);
  let checksum = '';
  for (let i = 0; i < 6; i++) {
    checksum = BASE62[value % 62] + checksum;
    value = Math.floor(value / 62);
  }
  return head + checksum;
}

function randomBase62(length: number): string {
  return Array.from({ length }, () => BASE62[Math.floor(Math.random() * 62)]).join('');
}

/** A token exactly as `shown` by the CLI: its first 10 characters and an ellipsis. */
const masked = (token: string) => `${token.slice(0, 10)}…`;

/** Strings a scanner must not report, each failing one rule only (their checksums are right for what they are). */
function nearMisses(): Record<string, string> {
  const token = generateToken('personal');
  const last = token.at(-1)!;
  return {
    'wrong checksum': token.slice(0, -1) + (last === 'A' ? 'B' : 'A'),
    'wrong prefix': withChecksum(`tgx_${randomBase62(32)}`),
    'one character short': withChecksum(`tgp_${randomBase62(31)}`),
    'one character long': withChecksum(`tgp_${randomBase62(33)}`),
    'uppercase prefix': withChecksum(`TGP_${randomBase62(32)}`),
    'glued after a word': `key${token}`,
    'glued before an underscore': `${token}_old`,
    'glued between digits': `9${token}9`,
  };
}

describe('findTaskgateSecrets and isTaskgateToken (@taskgate/client)', () => {
  it('finds every token the server generates, of each kind, and agrees with zlib’s CRC-32', () => {
    for (let i = 0; i < 400; i++) {
      const kind = KINDS[i % KINDS.length]!;
      const token = generateToken(kind);
      expect(isTaskgateToken(token)).toBe(true);
      expect(findTaskgateSecrets(`export TOKEN=${token}\n`)).toEqual([{ token, kind, index: 13, line: 1, column: 14 }]);
      // Built independently, from the README's recipe on zlib.
      const letter = token[2]!;
      const independent = withChecksum(`tg${letter}_${randomBase62(32)}`);
      expect(findTaskgateSecrets(independent)).toEqual([{ token: independent, kind, index: 0, line: 1, column: 1 }]);
    }
  });

  it('refuses near-misses, any single changed character, and whatever is around a token', () => {
    for (const [why, text] of Object.entries(nearMisses())) {
      expect(findTaskgateSecrets(`a ${text} b`), why).toEqual([]);
      expect(isTaskgateToken(text), why).toBe(false);
    }
    const token = generateToken('agent');
    for (let i = 0; i < token.length; i++) {
      const changed = token.slice(0, i) + (token[i] === 'z' ? 'y' : 'z') + token.slice(i + 1);
      expect(findTaskgateSecrets(changed), changed).toEqual([]);
    }
    expect(isTaskgateToken(` ${token}`)).toBe(false);
    expect(isTaskgateToken(`${token}\n`)).toBe(false);
  });

  it('counts lines and columns from 1, across CRLF line ends, with tokens side by side', () => {
    const [a, b, c, d] = KINDS.map((kind) => generateToken(kind)) as [string, string, string, string];
    const text = `first line\r\n\r\n  "${a}",${b}\r\n\tx=${c}\n${d}`;
    expect(findTaskgateSecrets(text).map(({ token, kind, line, column }) => ({ token, kind, line, column }))).toEqual([
      { token: a, kind: 'personal', line: 3, column: 4 },
      { token: b, kind: 'workspace', line: 3, column: 48 },
      { token: c, kind: 'agent', line: 4, column: 4 },
      { token: d, kind: 'session', line: 5, column: 1 },
    ]);
    expect(findTaskgateSecrets(text).map((s) => text.slice(s.index, s.index + 42))).toEqual([a, b, c, d]);
  });
});

describe('.gitignore matching', () => {
  const ignored = (lines: string[], file: string, directory = false, base = '') =>
    isIgnored(parseGitignore(lines.join('\n'), base), file, directory);

  it('matches a name at any depth, and anchors a pattern with a leading or inner slash', () => {
    expect(ignored(['*.log'], 'a.log')).toBe(true);
    expect(ignored(['*.log'], 'deep/er/a.log')).toBe(true);
    expect(ignored(['*.log'], 'a.log.txt')).toBe(false);
    expect(ignored(['/todo.txt'], 'todo.txt')).toBe(true);
    expect(ignored(['/todo.txt'], 'sub/todo.txt')).toBe(false);
    expect(ignored(['doc/*.txt'], 'doc/a.txt')).toBe(true);
    expect(ignored(['doc/*.txt'], 'doc/x/a.txt')).toBe(false);
    expect(ignored(['doc/*.txt'], 'x/doc/a.txt')).toBe(false);
    expect(ignored(['?.md'], 'a.md')).toBe(true);
    expect(ignored(['?.md'], 'ab.md')).toBe(false);
    expect(ignored(['[ab].md'], 'b.md')).toBe(true);
    expect(ignored(['[!ab].md'], 'b.md')).toBe(false);
    expect(ignored(['[!ab].md'], 'c.md')).toBe(true);
  });

  it('keeps a trailing slash for directories, and reads ** as any number of directories', () => {
    expect(ignored(['build/'], 'build', true)).toBe(true);
    expect(ignored(['build/'], 'build', false)).toBe(false);
    expect(ignored(['build/'], 'src/build', true)).toBe(true);
    expect(ignored(['/build/'], 'src/build', true)).toBe(false);
    expect(ignored(['**/cache'], 'cache', true)).toBe(true);
    expect(ignored(['**/cache'], 'a/b/cache')).toBe(true);
    expect(ignored(['a/**/b'], 'a/b')).toBe(true);
    expect(ignored(['a/**/b'], 'a/x/y/b')).toBe(true);
    expect(ignored(['a/**/b'], 'a/xb')).toBe(false);
    expect(ignored(['out/**'], 'out/x/y.js')).toBe(true);
    expect(ignored(['out/**'], 'out', true)).toBe(false);
  });

  it('lets the last matching rule win, a deeper file override a shallower one, and reads comments and escapes', () => {
    expect(ignored(['*.txt', '!keep.txt'], 'keep.txt')).toBe(false);
    expect(ignored(['!keep.txt', '*.txt'], 'keep.txt')).toBe(true);
    const rules = [...parseGitignore('*.log\n', ''), ...parseGitignore('!keep.log\n/local\n', 'sub/')];
    expect(isIgnored(rules, 'sub/keep.log', false)).toBe(false);
    expect(isIgnored(rules, 'keep.log', false)).toBe(true);
    expect(isIgnored(rules, 'sub/local', false)).toBe(true);
    expect(isIgnored(rules, 'local', false)).toBe(false);
    expect(isIgnored(rules, 'sub/x/local', false)).toBe(false);
    expect(ignored(['# a comment', '', 'foo   '], 'foo')).toBe(true);
    expect(ignored(['# a comment'], '# a comment')).toBe(false);
    expect(ignored(['\\#hash', '\\!bang'], '#hash')).toBe(true);
    expect(ignored(['\\#hash', '\\!bang'], '!bang')).toBe(true);
    expect(ignored(['*.tmp\r'], 'a.tmp')).toBe(true);
  });
});

describe('taskgate scan', () => {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  function tree(files: Record<string, string | Buffer>): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-scan-'));
    made.push(root);
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      fs.writeFileSync(path.join(root, name), content);
    }
    return root;
  }

  function fixture() {
    // Named by kind: p personal, w workspace, a agent, s session.
    const kindOf = { p: 'personal', w: 'workspace', a: 'agent', s: 'session' } as const;
    const t = Object.fromEntries(
      ['p1', 'p2', 'p3', 'w1', 'w2', 'w3', 'a1', 'a2', 'a3', 's1', 's2', 's3', 's4'].map((name) => [
        name,
        generateToken(kindOf[name[0] as 'p']),
      ]),
    ) as Record<string, string>;
    const hidden = generateToken('personal');
    const root = tree({
      '.gitignore': '# build output\n*.log\n/build/\ndocs/**/draft-*.md\n',
      'config/.env': `TASKGATE_URL=http://localhost:8080\nTASKGATE_TOKEN=${t.p1}\n`,
      'src/app.ts': `// nothing here\r\nconst a = "${t.w1}"; const b = '${t.a1}';\r\n`,
      'notes.md': `${t.p2} at the very start\n${Object.values(nearMisses()).join('\n')}\nin (${t.s1}).\nend: ${t.w2}`,
      'long.txt': `${'lorem ipsum tg tgp_ dolor\n'.repeat(40_000)}  ${t.a2}\n`,
      'debug.log': `leaked ${hidden}\n`,
      'build/out.js': `x=${hidden}`,
      'lib/build/keep.js': `y=${t.s2}`,
      'docs/draft-1.md': hidden,
      'docs/a/b/draft-2.md': hidden,
      'docs/final.md': `see ${t.p3}\n`,
      'packages/app/.gitignore': '*.txt\n!keep.txt\n!important.log\n',
      'packages/app/skip.txt': hidden,
      'packages/app/keep.txt': t.w3!,
      'packages/app/deep/keep.txt': `\n\n${t.a3}`,
      'packages/app/important.log': `${t.s3}\n`,
      'packages/other/skip.txt': `${t.s4}\n`,
      'image.png': Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), Buffer.from(` ${hidden} `)]),
      'node_modules/pkg/index.js': `module.exports = '${hidden}';`,
      'app/node_modules/pkg/index.js': `module.exports = '${hidden}';`,
      '.git/config': `[remote]\n\ttoken = ${hidden}\n`,
    });
    fs.symlinkSync(path.join(root, 'debug.log'), path.join(root, 'linked.txt'));
    const expected: Array<[string, string, string]> = [
      ['config/.env:2:16', 'personal', t.p1!],
      ['docs/final.md:1:5', 'personal', t.p3!],
      ['lib/build/keep.js:1:3', 'session', t.s2!],
      ['long.txt:40001:3', 'agent', t.a2!],
      ['notes.md:1:1', 'personal', t.p2!],
      ['notes.md:10:5', 'session', t.s1!],
      ['notes.md:11:6', 'workspace', t.w2!],
      ['packages/app/deep/keep.txt:3:1', 'agent', t.a3!],
      ['packages/app/important.log:1:1', 'session', t.s3!],
      ['packages/app/keep.txt:1:1', 'workspace', t.w3!],
      ['packages/other/skip.txt:1:1', 'session', t.s4!],
      ['src/app.ts:2:12', 'workspace', t.w1!],
      ['src/app.ts:2:68', 'agent', t.a1!],
    ];
    return { root, hidden, expected };
  }

  it('lists real tokens as file:line:col kind masked, sorted; honours .gitignore, skips binaries, .git, node_modules; exit 1', async () => {
    const { root, expected } = fixture();
    const result = await runCli(['scan', root]);
    expect(result.stdout).toBe(expected.map(([where, kind, token]) => `${root}/${where} ${kind} ${masked(token)}\n`).join(''));
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('Found 13 Taskgate tokens: revoke each one, then remove them.\n');
  });

  it('prints the same findings as JSON with --json, and never the whole token', async () => {
    const { root, expected } = fixture();
    const result = await runCli(['scan', '--json', root]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual(
      expected.map(([where, kind, token]) => {
        const [file, line, column] = where.split(':') as [string, string, string];
        return { file: `${root}/${file}`, line: Number(line), column: Number(column), kind, token: masked(token) };
      }),
    );
    for (const [, , token] of expected) expect(result.stdout).not.toContain(token.slice(10));
  });

  it('reads a file named on the command line even when a .gitignore lists it, and each file once', async () => {
    const { root, hidden, expected } = fixture();
    const log = path.join(root, 'debug.log');
    const env = path.join(root, 'config/.env');
    const result = await runCli(['scan', log, env, path.join(root, 'config')]);
    expect(result.stdout).toBe(`${env}:2:16 personal ${masked(expected[0]![2])}\n${log}:1:8 personal ${masked(hidden)}\n`);
    expect(result.code).toBe(1);
  });

  it('scans stdin with - or with no path when stdin is not a terminal', async () => {
    const token = generateToken('agent');
    const stdin = `line one\n  AGENT_TOKEN=${token}\n`;
    for (const args of [['scan', '-'], ['scan']]) {
      const result = await runCli(args, { stdin });
      expect(result.stdout).toBe(`-:2:15 agent ${masked(token)}\n`);
      expect(result.code).toBe(1);
    }
    const json = await runCli(['scan', '--json', '-'], { stdin });
    expect(JSON.parse(json.stdout)).toEqual([{ file: '-', line: 2, column: 15, kind: 'agent', token: masked(token) }]);
    const clean = await runCli(['scan'], { stdin: Object.values(nearMisses()).join('\n') });
    expect(clean).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('exits 0 with no output on a clean tree, and [] with --json', async () => {
    const hidden = generateToken('workspace');
    const root = tree({
      'README.md': '# nothing secret\n',
      'near.txt': Object.values(nearMisses()).join('\n'),
      '.gitignore': 'secret.txt\n',
      'secret.txt': hidden,
      'node_modules/x/index.js': hidden,
    });
    expect(await runCli(['scan', root])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await runCli(['scan', '--json', root])).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
  });

  it('skips a file over 10 MB with a warning', async () => {
    const root = tree({ 'big.txt': `${generateToken('personal')}\n${'x'.repeat(10 * 1024 * 1024)}`, 'small.txt': 'fine\n' });
    const result = await runCli(['scan', root]);
    expect(result).toEqual({ code: 0, stdout: '', stderr: `warning: skipped ${root}/big.txt: larger than 10 MB\n` });
  });

  it('exits 2 for a path that does not exist, and for --source without --report', async () => {
    const root = tree({ 'a.txt': generateToken('personal') });
    const missing = await runCli(['scan', root, path.join(root, 'nope')]);
    expect(missing).toEqual({ code: 2, stdout: '', stderr: `taskgate: No such file or directory: ${path.join(root, 'nope')}\n` });
    expect(await runCli(['scan', '--source', 'https://example.test', root])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'taskgate: --source goes with --report\n',
    });
  });

  // Its speed is measured by a bench script, not here (timed tests flake on a loaded machine).
  it('finds the one token among 5,000 files', async () => {
    const files: Record<string, string> = {};
    const line = 'const value = compute(settings.tgp_prefix, "tg", other); // an ordinary line of code\n';
    for (let i = 0; i < 5000; i++) files[`d${i % 50}/f${i}.ts`] = line.repeat(40);
    const token = generateToken('session');
    files['d7/f4999.ts'] = `${line}${token}\n`;
    const root = tree(files);
    const result = await runCli(['scan', root]);
    expect(result.stdout).toBe(`${root}/d7/f4999.ts:2:1 session ${masked(token)}\n`);
    expect(result.code).toBe(1);
  });
});
