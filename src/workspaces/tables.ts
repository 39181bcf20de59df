import type { Actor } from '../authz/principal.js';
import type { Role } from '../authz/roles.js';
import type { Plan } from '../config/config.js';

export interface WorkspaceRow {
  id: string;
  name: string;
  plan: Plan;
  created_by: string;
  created_at: string;
  updated_at: string;
}

interface WorkspaceMemberRow {
  workspace_id: string;
  user_id: string;
  role: Role;
  created_at: string;
  updated_at: string;
}

export type InvitationStatus = 'pending' | 'accepted' | 'declined' | 'revoked';

/** An invitation to join a workspace, addressed to an email whether or not an account uses it. */
export interface WorkspaceInvitationRow {
  id: string;
  workspace_id: string;
  /** Lower-cased, as accounts store it. */
  email: string;
  role: Role;
  invited_by_type: Actor['type'];
  invited_by_id: string;
  /** `pending` until answered or revoked; a pending one past `expires_at` can no longer be accepted. */
  status: InvitationStatus;
  created_at: string;
  updated_at: string;
  expires_at: string;
  responded_at: string | null;
}

/** Tables owned by the workspaces domain (workspaces and members by migration 0001_foundation). */
export interface WorkspaceTables {
  workspaces: WorkspaceRow;
  workspace_members: WorkspaceMemberRow;
  workspace_invitations: WorkspaceInvitationRow;
}
