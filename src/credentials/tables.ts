/** A warning recorded about a token (`expiring:<window ms>:<expires at>` or `stale:<week>`), so it is recorded once. */
interface TokenWarningRow {
  token_id: string;
  warning: string;
  created_at: string;
}

/** Tables owned by the credentials kernel. */
export interface CredentialTables {
  token_warnings: TokenWarningRow;
}
