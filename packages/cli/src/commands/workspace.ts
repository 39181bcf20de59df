import type { Command } from 'commander';

/** Filled in by its own change. */
export function workspaceCommands(_program: Command): void {}
