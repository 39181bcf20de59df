/** Which kind of token a use is counted under (an agent's uses are counted under the agent, whichever token it used). */
export type UsageTokenKind = 'personal' | 'workspace' | 'agent';

/** Uses of one permission by one token on one UTC day, in one project ('' when the decision named none). */
interface TokenPermissionUseRow {
  token_kind: UsageTokenKind;
  token_id: string;
  /** YYYY-MM-DD (UTC). */
  day: string;
  permission: string;
  project_id: string;
  uses: number;
}

/** Tables owned by the token-usage domain. */
export interface TokenUsageTables {
  token_permission_uses: TokenPermissionUseRow;
}
