import type { TokenNarrowing, TokenUsage } from '@taskgate/client';
import type { Command } from 'commander';
import { ask } from './input.js';
import { bold, dim, printJson, printTable } from './output.js';

interface JsonOption {
  json?: boolean;
}

export interface NarrowOptions extends JsonOption {
  yes?: boolean;
}

const list = (items: readonly string[]) => (items.length === 0 ? 'none' : items.join(', '));

/** `… usage ID`: each granted permission with its uses in the last 30 days, then what was never used. */
export function printUsage(usage: TokenUsage, options: JsonOption): void {
  if (options.json) {
    printJson(usage);
    return;
  }
  process.stdout.write(`${bold(`Uses in the last ${usage.days} days`)} (since ${usage.since})\n`);
  printTable(
    usage.permissions,
    [
      { header: 'permission', value: (p) => p.permission },
      { header: 'uses', value: (p) => String(p.uses) },
      { header: 'last used', value: (p) => p.lastUsedOn ?? 'never' },
    ],
    'It is granted no permission.',
  );
  process.stdout.write(`Never used: ${list(usage.unusedPermissions)}\n`);
  if (usage.projects.length > 0)
    process.stdout.write(`Projects used: ${usage.projects.map((p) => `${p.projectId} (${p.uses})`).join(', ')}\n`);
  if (usage.unusedProjectIds.length > 0) process.stdout.write(`Projects never used: ${list(usage.unusedProjectIds)}\n`);
}

type Grant = TokenNarrowing['before'];

function describeGrant(grant: Grant): string {
  const parts = [
    grant.scope !== null ? `scope ${grant.scope}` : null,
    grant.permissions !== null ? `permissions ${list(grant.permissions)}` : null,
    grant.projectIds !== null ? `projects ${list(grant.projectIds)}` : null,
  ].filter((part) => part !== null);
  return parts.length > 0 ? parts.join('; ') : 'not narrowed by the token';
}

const removesNothing = (n: TokenNarrowing) => n.removedPermissions.length === 0 && n.removedProjectIds.length === 0;

function printNarrowing(n: TokenNarrowing): void {
  process.stdout.write(`Before: ${describeGrant(n.before)}\nAfter:  ${describeGrant(n.after)}\n`);
  process.stdout.write(`Removes permissions: ${list(n.removedPermissions)}\nRemoves projects: ${list(n.removedProjectIds)}\n`);
}

/** Adds `--yes` and `--json` to a narrow command. */
export function withNarrowOptions(command: Command): Command {
  return command
    .option('--yes', 'apply it without asking (otherwise only a preview, or a question on a terminal)')
    .option('--json', 'print JSON');
}

/**
 * `… narrow ID`: the preview first; applied with `--yes`, or when a person at a terminal says yes. Without either it
 * changes nothing (a script sees the preview and a hint on stderr).
 */
export async function narrowWithPreview(narrow: (dryRun: boolean) => Promise<TokenNarrowing>, options: NarrowOptions): Promise<void> {
  const preview = await narrow(true);
  if (removesNothing(preview)) {
    if (options.json) printJson(preview);
    else process.stderr.write('Nothing to narrow: it already holds only what it used.\n');
    return;
  }
  if (!options.json || !options.yes) {
    if (options.json) printJson(preview);
    else printNarrowing(preview);
  }
  let apply = options.yes === true;
  if (!apply && !options.json && process.stdin.isTTY === true && process.stderr.isTTY === true) {
    apply = /^y(es)?$/i.test(await ask('Apply this narrowing? [y/N] '));
  }
  if (!apply) {
    process.stderr.write(`${dim('Preview only: nothing changed. Add --yes to apply it.')}\n`);
    return;
  }
  const applied = await narrow(false);
  if (options.json) printJson(applied);
  else process.stderr.write(applied.applied ? 'Narrowed.\n' : 'Nothing changed.\n');
}
