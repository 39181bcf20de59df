import type { Generated } from 'kysely';
import type { Role } from '../authz/roles.js';
import type { Actor } from '../authz/principal.js';
import type { ResourceType } from '../events/event-types.js';
import type { Plan } from '../config/config.js';
import type { TaskTables } from '../tasks/tables.js';
import type { TokenTables } from '../tokens/tables.js';
import type { AgentTables } from '../agents/tables.js';
import type { WebhookTables } from '../webhooks/tables.js';
import type { InvitationTables } from '../workspaces/tables.js';

// Row types as stored. Timestamps are ISO-8601 text, booleans 0/1 integers, JSON is text.

export interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  is_admin: number;
  blocked_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionRow {
  id: string;
  user_id: string;
  token_hash: string;
  device_label: string;
  user_agent: string | null;
  ip: string | null;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface WorkspaceRow {
  id: string;
  name: string;
  plan: Plan;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface WorkspaceMemberRow {
  workspace_id: string;
  user_id: string;
  role: Role;
  created_at: string;
  updated_at: string;
}

export interface EventRow {
  seq: Generated<number>;
  id: string;
  workspace_id: string;
  type: string;
  actor_type: Actor['type'];
  actor_id: string;
  resource_type: ResourceType;
  resource_id: string;
  project_id: string | null;
  data: string;
  created_at: string;
}

export interface AuditLogRow {
  id: string;
  user_id: string | null;
  workspace_id: string | null;
  actor_type: string;
  actor_id: string;
  action: string;
  target_type: string;
  target_id: string;
  ip: string | null;
  details: string;
  created_at: string;
}

export interface FoundationTables {
  users: UserRow;
  sessions: SessionRow;
  workspaces: WorkspaceRow;
  workspace_members: WorkspaceMemberRow;
  events: EventRow;
  audit_log: AuditLogRow;
}

/** The whole database as Kysely sees it: each domain declares its own tables in its `tables.ts`. */
export interface Database extends FoundationTables, TaskTables, TokenTables, AgentTables, WebhookTables, InvitationTables {}
