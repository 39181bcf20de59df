import fs from 'node:fs';
import path from 'node:path';
import { isIgnored, parseGitignore, type IgnoreRule } from './gitignore.js';
import { warn } from './output.js';

/** A file to read: where it is, and how to name it to the person who asked (relative to what they typed). */
export interface TreeFile {
  absolute: string;
  display: string;
}

/** Never entered, whatever the .gitignore files say. */
const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules']);

function toPosix(relative: string): string {
  return path.sep === '/' ? relative : relative.split(path.sep).join('/');
}

function readGitignore(directory: string, base: string): IgnoreRule[] {
  try {
    return parseGitignore(fs.readFileSync(path.join(directory, '.gitignore'), 'utf8'), base);
  } catch {
    return [];
  }
}

/** The nearest folder at or above `directory` holding `.git` (a folder, or a worktree's file), or null. */
function repositoryRoot(directory: string): string | null {
  for (let dir = directory; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return null;
  }
}

/**
 * Every file under `directory` that git would not ignore, skipping `.git` and `node_modules`. Inside a
 * repository the .gitignore files of the folders above `directory` (up to the repository's root) apply
 * too, as they do for git. Symbolic links are not followed (git stores the link, not its target), and
 * nothing but regular files is read.
 */
export function filesUnder(directory: string, display: string, visit: (file: TreeFile) => void): void {
  const absolute = path.resolve(directory);
  const root = repositoryRoot(absolute) ?? absolute;
  let rules: IgnoreRule[] = [];
  const above = toPosix(path.relative(root, absolute));
  if (above !== '') {
    const parts = above.split('/');
    for (let i = 0; i < parts.length; i++) {
      const base = parts.slice(0, i).join('/');
      rules = rules.concat(readGitignore(path.join(root, ...parts.slice(0, i)), base === '' ? '' : `${base}/`));
    }
  }
  walk(absolute, display, above, rules, visit);
}

function walk(absolute: string, display: string, relative: string, inherited: IgnoreRule[], visit: (file: TreeFile) => void): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(absolute, { withFileTypes: true });
  } catch (error) {
    warn(`could not read ${display}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    return;
  }
  const rules = entries.some((e) => e.name === '.gitignore' && e.isFile())
    ? inherited.concat(readGitignore(absolute, relative === '' ? '' : `${relative}/`))
    : inherited;
  for (const entry of entries) {
    const childRelative = relative === '' ? entry.name : `${relative}/${entry.name}`;
    const childAbsolute = path.join(absolute, entry.name);
    const childDisplay = path.join(display, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name) && !isIgnored(rules, childRelative, true))
        walk(childAbsolute, childDisplay, childRelative, rules, visit);
    } else if (entry.isFile() && !isIgnored(rules, childRelative, false)) {
      visit({ absolute: childAbsolute, display: childDisplay });
    }
  }
}
