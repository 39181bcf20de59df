import type { Taskgate } from '@taskgate/client';
import { InvalidArgumentError, type Command } from 'commander';
import { CliError, EXIT } from '../lib/exit-codes.js';
import { authenticatedClient, resolveTarget } from '../lib/session.js';

/** The signed-in client, and the credential it uses (exit 4 without one). */
export function apiClient(): { tg: Taskgate; token: string } {
  const target = resolveTarget();
  return { tg: authenticatedClient(target), token: target.token! };
}

export interface WorkspaceOption {
  workspace?: string;
}

export function withWorkspace(command: Command): Command {
  return command.option('--workspace <id>', 'the workspace (default: TASKGATE_WORKSPACE, or the workspace of a workspace or agent token)');
}

// Workspace (tgw_) and agent (tga_) tokens belong to one workspace; personal tokens and sessions do not.
const WORKSPACE_BOUND = ['tgw_', 'tga_'];

/** The client and the workspace a command acts in: --workspace, TASKGATE_WORKSPACE, or the token's own. */
export async function inWorkspace(options: WorkspaceOption): Promise<{ tg: Taskgate; workspaceId: string }> {
  const { tg, token } = apiClient();
  const named = options.workspace ?? process.env.TASKGATE_WORKSPACE;
  if (named) return { tg, workspaceId: named };
  if (WORKSPACE_BOUND.some((prefix) => token.startsWith(prefix))) {
    const me = await tg.me.get();
    if (me.token?.workspaceId) return { tg, workspaceId: me.token.workspaceId };
  }
  throw new CliError(
    'Say which workspace: --workspace <id> or TASKGATE_WORKSPACE=<id> (a workspace or agent token needs neither)',
    EXIT.usage,
  );
}

/** `--due-before 2025-07-01`, `--due 2025-07-01T17:00:00Z`: any time Date.parse reads, sent as RFC 3339. */
export function time(value: string): string {
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new InvalidArgumentError('a date or time, e.g. 2025-07-01 or 2025-07-01T17:00:00Z');
  return new Date(at).toISOString();
}

/** `--due none` clears a due date (kept as 'none': commander turns a parser's null into ''). */
export function timeOrNone(value: string): string {
  return value === 'none' ? value : time(value);
}

/** A time for a table: minutes, in UTC as the API gives it. */
export function when(iso: string | null | undefined, otherwise = '—'): string {
  return iso ? iso.slice(0, 16).replace('T', ' ') : otherwise;
}
