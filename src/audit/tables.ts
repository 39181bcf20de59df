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

/** The audit log (created by migration 0001_foundation). */
export interface AuditTables {
  audit_log: AuditLogRow;
}
