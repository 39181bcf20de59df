/**
 * A small .gitignore matcher for the common cases, the way git reads them (gitignore(5)): one file per
 * directory, `#` comments, `*`, `?`, `[…]`, `**`, a leading or inner `/` anchoring the pattern to its
 * directory, a trailing `/` for directories only, `!` re-including, and the last matching rule winning
 * (deeper files after shallower ones). Paths are `/`-separated and relative to one root, as are the
 * rules' bases.
 */
export interface IgnoreRule {
  /** The directory of the .gitignore the rule came from: `''` for the root, else `a/b/`. */
  base: string;
  negate: boolean;
  directoryOnly: boolean;
  /** Without a `/` (other than a trailing one) a pattern matches a name at any depth. */
  anyDepth: boolean;
  pattern: RegExp;
}

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;

function escapeRegex(text: string): string {
  return text.replace(REGEX_SPECIAL, '\\$&');
}

/** `[…]` from `open` (the `[`): the regex class and where the glob continues, or null when it never closes. */
function characterClass(glob: string, open: number): { source: string; next: number } | null {
  let i = open + 1;
  let negate = false;
  if (glob[i] === '!' || glob[i] === '^') {
    negate = true;
    i++;
  }
  let body = '';
  // A `]` first in the class is a member, not its end.
  for (let first = true; i < glob.length; i++, first = false) {
    const c = glob[i]!;
    if (c === ']' && !first) return { source: `[${negate ? '^/' : ''}${body}]`, next: i + 1 };
    if (c === '\\' && i + 1 < glob.length) body += escapeRegex(glob[++i]!);
    else body += escapeRegex(c);
  }
  return null;
}

/** The glob as a regex over a whole `/`-separated path (or over one name, for an any-depth pattern). */
function globToRegex(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*' && (i === 0 || glob[i - 1] === '/') && (i + 2 === glob.length || glob[i + 2] === '/')) {
        // `**/` at the start or `/**/` inside: zero or more whole directories; a trailing `/**`: everything inside.
        if (i + 2 === glob.length) source += '.*';
        else source += '(?:.*/)?';
        i += 2;
      } else {
        while (glob[i + 1] === '*') i++;
        source += '[^/]*';
      }
    } else if (c === '?') {
      source += '[^/]';
    } else if (c === '[') {
      const cls = characterClass(glob, i);
      if (cls) {
        source += cls.source;
        i = cls.next - 1;
      } else {
        source += '\\[';
      }
    } else if (c === '\\' && i + 1 < glob.length) {
      source += escapeRegex(glob[++i]!);
    } else {
      source += escapeRegex(c);
    }
  }
  return new RegExp(`^${source}$`);
}

/** Trailing spaces are dropped unless the last one is escaped with a backslash. */
function trimTrailingSpaces(line: string): string {
  let end = line.length;
  while (end > 0 && line[end - 1] === ' ' && line[end - 2] !== '\\') end--;
  return line.slice(0, end);
}

/** The rules of one .gitignore file found in the directory `base` (`''` or `a/b/`). */
export function parseGitignore(text: string, base: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split('\n')) {
    let line = trimTrailingSpaces(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1);
    else if (line.startsWith('\\!') || line.startsWith('\\#')) line = line.slice(1);
    const directoryOnly = line.endsWith('/') && !line.endsWith('\\/');
    if (directoryOnly) line = line.slice(0, -1);
    const anyDepth = !line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    if (line === '') continue;
    rules.push({ base, negate, directoryOnly, anyDepth, pattern: globToRegex(line) });
  }
  return rules;
}

/**
 * Whether `path` (relative to the rules' root, `/`-separated) is ignored. Its parent directories are
 * the caller's business: a walk that never enters an ignored directory gets git's rule that nothing
 * inside one can be re-included.
 */
export function isIgnored(rules: readonly IgnoreRule[], path: string, isDirectory: boolean): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  for (let i = rules.length - 1; i >= 0; i--) {
    const rule = rules[i]!;
    if (rule.directoryOnly && !isDirectory) continue;
    if (!path.startsWith(rule.base)) continue;
    if (rule.pattern.test(rule.anyDepth ? name : path.slice(rule.base.length))) return !rule.negate;
  }
  return false;
}
