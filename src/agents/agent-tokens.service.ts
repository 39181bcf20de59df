import { recordCredentialChange, type Caller } from '../credentials/change-log.js';
import { requireTokenPlan } from '../credentials/plan.js';
import type { Db } from '../db/database.js';
import { isoIn, nowIso } from '../lib/time.js';
import { issueAgentToken, lockAgent, revokeWorkingTokens } from './agent-token-store.js';
import { agentView, type AgentView } from './agents.service.js';

export interface ReissuedToken {
  agent: AgentView;
  token: string;
  /** When the previous token stops (or stopped) working; null when there was none. */
  previousTokenRevokedAt: string | null;
}

/** Issues the agent a new token; the old one stops at once, or after `graceSeconds` (max 24 h). */
export async function reissueAgentToken(
  db: Db,
  caller: Caller,
  agentId: string,
  lifetimeMs: number,
  graceSeconds = 0,
): Promise<ReissuedToken> {
  requireTokenPlan(caller.access.plan);
  return db.transaction().execute(async (trx) => {
    await lockAgent(trx, agentId);
    const revokeAt = graceSeconds > 0 ? isoIn(graceSeconds * 1000) : nowIso();
    const revoked = await revokeWorkingTokens(trx, agentId, revokeAt);
    const token = await issueAgentToken(trx, agentId, lifetimeMs);
    const agent = await agentView(trx, agentId);
    const previousTokenRevokedAt = revoked > 0 ? revokeAt : null;
    await recordCredentialChange(trx, caller, {
      type: 'agent.token_issued',
      resourceType: 'agent',
      resourceId: agentId,
      data: agent,
      details: { graceSeconds, previousTokenRevokedAt },
    });
    return { agent, token, previousTokenRevokedAt };
  });
}

/** Revokes the agent's tokens now without issuing another; the agent is refused from its next request. */
export async function revokeAgentTokens(db: Db, caller: Caller, agentId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await lockAgent(trx, agentId);
    const revoked = await revokeWorkingTokens(trx, agentId, nowIso());
    if (revoked === 0) return;
    const agent = await agentView(trx, agentId);
    await recordCredentialChange(trx, caller, {
      type: 'agent.token_revoked',
      resourceType: 'agent',
      resourceId: agentId,
      data: agent,
      details: { revoked },
    });
  });
}
