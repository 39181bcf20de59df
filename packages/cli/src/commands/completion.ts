import type { Command } from 'commander';

/** Filled in by its own change. */
export function completionCommand(_program: Command): void {}
