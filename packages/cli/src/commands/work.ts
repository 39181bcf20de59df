import type { Command } from 'commander';

/** Filled in by its own change. */
export function workCommands(_program: Command): void {}
