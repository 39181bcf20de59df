import { invalidField } from '../errors/validation.js';
import { describeCaller } from '../users/me.js';
import type { ToolContext } from './tool-kit.js';

/**
 * The workspace a call is about: the one given; else an agent's or workspace token's own; else, for a
 * personal token, the only workspace it reaches (as whoami lists them: its owner's pro and team
 * workspaces). Several: the model is told to choose.
 */
export async function chosenWorkspace(tc: ToolContext, given: string | undefined): Promise<string> {
  if (given !== undefined) return given;
  const { token } = await describeCaller(tc.ctx.db, tc.principal);
  if (token?.workspaceId) return token.workspaceId;
  const reachable = token && 'workspaces' in token && token.workspaces ? token.workspaces.map((w) => w.workspaceId) : [];
  if (reachable.length === 1) return reachable[0]!;
  const reached = `${reachable.length} workspaces (${reachable.join(', ') || 'none'})`;
  throw invalidField('workspaceId', `is required here: this token reaches ${reached}`);
}
