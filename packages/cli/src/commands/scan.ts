import type { Command } from 'commander';

/** Filled in by its own change. */
export function scanCommand(_program: Command): void {}
