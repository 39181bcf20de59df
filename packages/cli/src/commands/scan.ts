import fs from 'node:fs';
import path from 'node:path';
import { findTaskgateSecrets, type TaskgateTokenKind } from '@taskgate/client';
import type { Command } from 'commander';
import { CliError, EXIT } from '../lib/exit-codes.js';
import { filesUnder, type TreeFile } from '../lib/file-tree.js';
import { readStdin } from '../lib/input.js';
import { printJson, warn } from '../lib/output.js';
import { clientFor, resolveTarget } from '../lib/session.js';

/** One token found; `token` is masked, never the secret. */
interface Finding {
  file: string;
  line: number;
  column: number;
  kind: TaskgateTokenKind;
  token: string;
}

const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** A NUL byte this early means a binary file, as git and grep decide. */
const BINARY_SNIFF_BYTES = 8192;
/** As much of a token as `taskgate tokens list` shows. */
const SHOWN_CHARACTERS = 10;
const STDIN = '-';

/** `secrets` collects the tokens themselves, for `--report` only: they are never printed. */
function findingsIn(text: string, file: string, secrets: Set<string>): Finding[] {
  const found = findTaskgateSecrets(text);
  for (const secret of found) secrets.add(secret.token);
  return found.map((s) => ({
    file,
    line: s.line,
    column: s.column,
    kind: s.kind,
    token: `${s.token.slice(0, SHOWN_CHARACTERS)}…`,
  }));
}

function isBinary(content: Buffer): boolean {
  return content.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

/** A file's findings; none for a binary file, and a warning for one too large or unreadable. */
function scanFile(file: TreeFile, secrets: Set<string>): Finding[] {
  let content: Buffer;
  let fd: number | undefined;
  try {
    fd = fs.openSync(file.absolute, 'r');
    const stat = fs.fstatSync(fd);
    if (stat.isFile() && stat.size > MAX_FILE_BYTES) {
      warn(`skipped ${file.display}: larger than 10 MB`);
      return [];
    }
    content = fs.readFileSync(fd);
  } catch (error) {
    warn(`could not read ${file.display}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    return [];
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  // Most files hold no `tg` at all: answer those without decoding them.
  if (content.indexOf('tg') === -1 || isBinary(content)) return [];
  return findingsIn(content.toString('utf8'), file.display, secrets);
}

/** What was named, checked before anything is read: a missing path is a usage error. */
function resolveTargets(paths: string[]): Array<{ name: string; directory: boolean }> {
  if (paths.length === 0) {
    if (process.stdin.isTTY)
      throw new CliError('Name what to scan (`taskgate scan .`), or pipe text in (`… | taskgate scan -`)', EXIT.usage);
    return [{ name: STDIN, directory: false }];
  }
  return paths.map((name) => {
    if (name === STDIN) return { name, directory: false };
    try {
      return { name, directory: fs.statSync(name).isDirectory() };
    } catch {
      throw new CliError(`No such file or directory: ${name}`, EXIT.usage);
    }
  });
}

function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column;
}

/** Sends the tokens found to the server's leak-report endpoint, as any scanner may: no credential goes with them. */
async function reportLeaks(strings: string[], source: string | undefined): Promise<void> {
  const { url } = resolveTarget();
  const { examined } = await clientFor(url).tokenLeaks.report(source === undefined ? { strings } : { strings, source });
  process.stderr.write(`Reported to ${url}: ${examined} examined; every one that still worked is now revoked.\n`);
}

/** `taskgate scan [PATH…|-]`: Taskgate tokens in files, folders or stdin, found offline by their checksum. */
export function scanCommand(program: Command): void {
  program
    .command('scan')
    .description('Find Taskgate tokens in files, folders (recursively, honouring .gitignore) or stdin (-); exit 1 when any is found')
    .argument('[paths...]', 'files and folders to scan; - (or nothing, when stdin is not a terminal) reads stdin')
    .option('--json', 'print a JSON array of findings')
    .option('--report', 'report the tokens found to the server (TASKGATE_URL or the signed-in one), which revokes every live one')
    .option('--source <where>', 'with --report: where the tokens were found, e.g. a URL (at most 2,000 characters)')
    .addHelpText(
      'after',
      '\nPrints file:line:column kind token (masked) per token found. Needs no server and no credential.\n' +
        'With --report, the tokens found (only they, never the files) go to POST /api/v1/token-leaks, without a credential;\n' +
        'it prints how many the server examined, never whether one was live.\n' +
        'Exit codes: 0 none found, 1 found, 2 usage (e.g. a path that does not exist).',
    )
    .action(async (paths: string[], options: { json?: boolean; report?: boolean; source?: string }) => {
      if (options.source !== undefined && !options.report) throw new CliError('--source goes with --report', EXIT.usage);
      const targets = resolveTargets(paths);
      const perFile: Finding[][] = [];
      const secrets = new Set<string>();
      const seen = new Set<string>();
      const scan = (file: TreeFile) => {
        if (seen.has(file.absolute)) return;
        seen.add(file.absolute);
        perFile.push(scanFile(file, secrets));
      };
      for (const target of targets) {
        if (target.name === STDIN) {
          if (!seen.has(STDIN)) perFile.push(findingsIn(await readStdin(), STDIN, secrets));
          seen.add(STDIN);
        } else if (target.directory) {
          filesUnder(target.name, target.name, scan);
        } else {
          // A file named on the command line is read even if a .gitignore lists it: git commits a forced add.
          scan({ absolute: path.resolve(target.name), display: target.name });
        }
      }
      const findings = perFile.flat().sort(compareFindings);
      if (options.json) printJson(findings);
      else if (findings.length > 0) {
        process.stdout.write(findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.kind} ${f.token}\n`).join(''));
        const one = findings.length === 1;
        process.stderr.write(
          `Found ${findings.length} Taskgate token${one ? '' : 's'}: ` +
            `revoke ${one ? 'it' : 'each one'}, then remove ${one ? 'it' : 'them'}.\n`,
        );
      }
      if (options.report && secrets.size > 0) await reportLeaks([...secrets], options.source);
      process.exitCode = findings.length > 0 ? EXIT.error : EXIT.ok;
    });
}
