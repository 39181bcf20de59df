import { AppError } from '../errors/app-error.js';

/**
 * Why a workspace credential is disabled: by hand (`manual`), or because the member who created it
 * left or was removed from the workspace (`creator_removed`) or was blocked on the instance (`creator_blocked`).
 */
export type CredentialDisabledReason = 'manual' | 'creator_removed' | 'creator_blocked';

/** Why a credential row (a workspace token, an agent) is disabled, null while enabled; rows from before reasons were kept say `manual`. */
export function disabledReasonOf(row: {
  disabled_at: string | null;
  disabled_reason: CredentialDisabledReason | null;
}): CredentialDisabledReason | null {
  return row.disabled_at === null ? null : (row.disabled_reason ?? 'manual');
}

/** Why a token was revoked, when not by hand: a leak report found it (token-leaks/). */
export type RevokedReason = 'leaked';

/** What decides whether a found credential may be used now: each kind's policy maps its row to this. */
export interface CredentialState {
  /** When it was revoked, or stops after a reissue's grace (a future time); null while current. */
  revokedAt: string | null;
  /** Why it (or the agent it belongs to) is disabled; null while enabled. */
  disabledReason: CredentialDisabledReason | null;
  /** null only on rows from before every token had to expire. */
  expiresAt: string | null;
  /**
   * Found by the secret its last rotation replaced: until when that secret still works (null: no
   * longer). Undefined when it was found by its current secret.
   */
  replacedSecretValidUntil?: string | null;
}

/** Written to the refused-use audit entry's `details.reason`; `ancestor_refused`: a delegated token's parent (or its parent…) is. */
export type RefusalReason = 'revoked' | 'disabled' | 'expired' | 'rotated' | 'ip_not_allowed' | 'ancestor_refused';

export interface Refusal {
  reason: RefusalReason;
  error: AppError;
}

/** How refusals name the credential ("This agent token has been revoked") and what was disabled ("This agent was disabled …"). */
export interface RefusalNouns {
  token: string;
  disabled: string;
}

/** Revocation takes effect at `revokedAt`, which a reissue's grace puts in the future. */
function isRevoked(revokedAt: string | null, now: string): boolean {
  return revokedAt !== null && revokedAt <= now;
}

/** The one expiry rule: a credential stops working at its expiry instant; none stored means none. */
export function hasExpired(expiresAt: string | null, now: string): boolean {
  return expiresAt !== null && expiresAt <= now;
}

const WHY_DISABLED: Record<CredentialDisabledReason, string> = {
  manual: 'was disabled by an administrator',
  creator_removed: 'was disabled because the member who created it left the workspace',
  creator_blocked: 'was disabled because the member who created it was blocked',
};

/**
 * The one state check every token kind goes through: why this credential may not be used now, or null
 * when it may. Revoked wins over disabled and disabled over expired, as the lists' `status` says.
 */
export function refusalOf(state: CredentialState, now: string, nouns: RefusalNouns): Refusal | null {
  if (isRevoked(state.revokedAt, now)) {
    return { reason: 'revoked', error: new AppError('TOKEN_REVOKED', `This ${nouns.token} has been revoked`) };
  }
  if (state.disabledReason !== null) {
    const reason = state.disabledReason;
    const message = `This ${nouns.disabled} ${WHY_DISABLED[reason]}; a workspace administrator can re-enable it`;
    return { reason: 'disabled', error: new AppError('TOKEN_DISABLED', message, { reason }) };
  }
  if (hasExpired(state.expiresAt, now)) {
    return { reason: 'expired', error: new AppError('TOKEN_EXPIRED', `This ${nouns.token} expired at ${state.expiresAt}`) };
  }
  const graceEnd = state.replacedSecretValidUntil;
  if (graceEnd === undefined || (graceEnd !== null && graceEnd > now)) return null;
  const message = `This ${nouns.token} was rotated; its previous secret no longer works`;
  return { reason: 'rotated', error: new AppError('TOKEN_EXPIRED', message) };
}
