import { InvalidArgumentError } from 'commander';

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
