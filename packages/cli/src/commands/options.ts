import { InvalidArgumentError, type Command } from 'commander';
import { CliError, EXIT } from '../lib/exit-codes.js';

/** For repeatable options: `--permission a --permission b`. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function positiveInteger(value: string): number {
  if (!/^[1-9][0-9]{0,8}$/.test(value)) throw new InvalidArgumentError('a whole number of at least 1');
  return Number(value);
}

/** `--expires-in <days>` or `--expires-at <time>`, as the API's `expiresAt`. */
export function expiresAt(options: { expiresIn?: number; expiresAt?: string }): string | undefined {
  if (options.expiresIn !== undefined) return new Date(Date.now() + options.expiresIn * 86_400_000).toISOString();
  if (options.expiresAt !== undefined) {
    const at = Date.parse(options.expiresAt);
    if (Number.isNaN(at)) throw new InvalidArgumentError(`not a time: ${options.expiresAt}`);
    return new Date(at).toISOString();
  }
  return undefined;
}

/** What `--allow-ip` says, as the API's `allowedIps`: the CIDRs given, `none` alone to clear (null), or nothing to change. */
export function allowedIps(options: { allowIp?: string[] }): string[] | null | undefined {
  const entries = options.allowIp;
  if (entries === undefined) return undefined;
  if (!entries.includes('none')) return entries;
  if (entries.length > 1) throw new CliError('--allow-ip none clears the list: give it alone', EXIT.usage);
  return null;
}

/** Adds the repeatable `--allow-ip` option every token kind takes (read it with `allowedIps`). */
export function withAllowIp(command: Command): Command {
  return command.option('--allow-ip <cidr>', 'an address or CIDR it may be used from (repeat; `none` clears the list)', collect);
}
