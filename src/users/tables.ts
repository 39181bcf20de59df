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

/** The users domain's table (created by migration 0001_foundation). */
export interface UserTables {
  users: UserRow;
}
