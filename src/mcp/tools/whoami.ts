import * as z from 'zod';
import { describeCaller } from '../../users/me.js';
import { CallerOut } from '../outputs.js';
import { defineTool, READ_ONLY } from '../tool-kit.js';

type Caller = Awaited<ReturnType<typeof describeCaller>>;

/** One line a model can act on: who it is, where it may work and with what, until when. */
function summaryOf(caller: Caller): string {
  const token = caller.token!;
  const who =
    token.kind === 'agent'
      ? `agent "${caller.name}" (${token.agentId})`
      : token.kind === 'personal'
        ? `${caller.name} (${caller.id}) through a personal token`
        : `the workspace token "${caller.name}"`;
  const grants =
    'workspaces' in token && token.workspaces
      ? token.workspaces.map((w) => ({ workspaceId: w.workspaceId, permissions: w.permissions }))
      : [{ workspaceId: token.workspaceId, permissions: token.permissions }];
  const where = grants.map((w) => `${w.workspaceId} (${w.permissions.join(', ') || 'nothing'})`).join('; ');
  const scope = token.projectIds ? ` Only projects ${token.projectIds.join(', ')}.` : '';
  return `You are ${who}. Workspaces: ${where || 'none'}.${scope} Token expires: ${token.expiresAt ?? 'never'}.`;
}

export const whoami = defineTool({
  name: 'whoami',
  title: 'Who am I',
  description:
    'Tells you who you are acting as, as GET /me does: the token (kind agent, personal or workspace; its id, ' +
    'agentId for an agent), its workspace (or, for a personal token, each workspace with your effective permissions ' +
    'there), its permissions, any project restriction (projectIds) and when it expires. Call it first to learn your ' +
    'workspace id and what you may do.',
  permission: null,
  annotations: READ_ONLY,
  input: z.object({}),
  output: CallerOut,
  async run(tc) {
    const caller = await describeCaller(tc.ctx.db, tc.principal);
    return { data: caller, summary: summaryOf(caller) };
  },
});
