import type { Taskgate } from '../../packages/client/src/index.js';
import type { SignedIn } from '../client/server.js';

/**
 * Makes `invitee` a member of the workspace with `role`: invited by `inviter`, then accepted from the
 * invitee's session (nobody joins without accepting). The client has no invitation methods yet, so the
 * acceptance is a plain request.
 */
export async function addMember(
  url: string,
  inviter: Taskgate,
  workspaceId: string,
  invitee: SignedIn,
  role: Parameters<Taskgate['members']['add']>[1]['role'],
): Promise<void> {
  const invitation = (await inviter.members.add(workspaceId, { email: invitee.user.email, role })) as unknown as { id: string };
  const response = await fetch(`${url}/api/v1/invitations/${invitation.id}/accept`, {
    method: 'POST',
    headers: { authorization: `Bearer ${invitee.sessionToken}` },
  });
  if (!response.ok) throw new Error(`accepting the invitation answered ${response.status}: ${await response.text()}`);
}
