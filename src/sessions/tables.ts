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

/** The sessions domain's table (created by migration 0001_foundation). */
export interface SessionTables {
  sessions: SessionRow;
}
