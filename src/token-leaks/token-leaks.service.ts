import type { Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.service.js';
import type { AppContext } from '../context.js';
import { AGENT_TOKENS, DELEGATED_TOKENS, PERSONAL_TOKENS, WORKSPACE_TOKENS, type CredentialPolicy } from '../credentials/policies.js';
import type { RefusedUse } from '../credentials/refused-use-audit.js';
import { refusalOf } from '../credentials/state.js';
import { hashToken, parseToken, type TokenKind } from '../credentials/token-format.js';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { invalidField } from '../errors/validation.js';
import { recordEvent } from '../events/events.service.js';
import { nowIso } from '../lib/time.js';
import { MAX_TOKEN_SHAPED_PER_REPORT, tokenShapedStrings } from './leak-scan.js';

type Trx = Transaction<Database>;

export interface LeakReportInput {
  strings: readonly string[];
  source?: string;
  /** The reporter's address (trust-proxy aware). */
  ip: string;
}

/** Where a report came from, written to every event and audit entry it causes. */
interface Reporter {
  source: string | null;
  ip: string;
}

/** A live credential found in a report: whom it belongs to (as its refused uses are recorded) and what to call it. */
interface LeakedCredential {
  kind: TokenKind;
  holder: RefusedUse;
  /** The audit log's target type: the policy's, or `session`. */
  targetType: string;
}

/**
 * Revokes every live credential among the token-shaped strings of a report, each kind in one transaction, and
 * tells its owner (event `token.leaked` in every workspace it reaches, audit entry `token.leaked`). Every
 * well-formed candidate is hashed and looked up the same way, live or not, and the answer only counts them.
 */
export async function reportLeaks(ctx: AppContext, input: LeakReportInput): Promise<{ examined: number }> {
  const candidates = tokenShapedStrings(input.strings);
  // Refused before any lookup: one report may not buy more lookups than this, whatever its size.
  if (candidates.length > MAX_TOKEN_SHAPED_PER_REPORT) {
    throw invalidField(
      'strings',
      `holds ${candidates.length} distinct token-shaped strings; at most ${MAX_TOKEN_SHAPED_PER_REPORT} per report: split it`,
    );
  }
  const hashesByKind = new Map<TokenKind, string[]>();
  for (const candidate of candidates) {
    const kind = parseToken(candidate);
    if (kind === null) continue;
    hashesByKind.set(kind, [...(hashesByKind.get(kind) ?? []), hashToken(candidate)]);
  }
  const reporter: Reporter = { source: input.source ?? null, ip: input.ip };
  await revokeLeakedTokens(ctx.db, PERSONAL_TOKENS, hashesByKind.get('personal') ?? [], reporter);
  await revokeLeakedTokens(ctx.db, WORKSPACE_TOKENS, hashesByKind.get('workspace') ?? [], reporter);
  await revokeLeakedTokens(ctx.db, AGENT_TOKENS, hashesByKind.get('agent') ?? [], reporter);
  // A delegated token's descendants end with it: each resolves its parent on every request.
  await revokeLeakedTokens(ctx.db, DELEGATED_TOKENS, hashesByKind.get('delegated') ?? [], reporter);
  await endLeakedSessions(ctx.db, hashesByKind.get('session') ?? [], reporter);
  return { examined: candidates.length };
}

/** Worth revoking: it works now, or would again once re-enabled or its owner unblocked; revoked or expired ones are left be. */
function mayStillWork<Row extends object>(policy: CredentialPolicy<Row>, row: Row, tokenHash: string, now: string): boolean {
  const refusal = refusalOf(policy.stateOf(row, tokenHash), now, policy.nouns);
  return refusal === null || refusal.reason === 'disabled';
}

async function revokeLeakedTokens<Row extends object>(
  db: Db,
  policy: CredentialPolicy<Row>,
  hashes: readonly string[],
  reporter: Reporter,
): Promise<void> {
  const now = nowIso();
  const live: Row[] = [];
  for (const tokenHash of hashes) {
    for (const row of await policy.find(db, tokenHash)) if (mayStillWork(policy, row, tokenHash, now)) live.push(row);
  }
  if (live.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const row of live) {
      // Guarded: of two reports of the same token at once, one revokes and tells (the other's `now` may be earlier
      // than the winner's, so the reason, not the time, tells that it is already revoked).
      const revoked = await trx
        .updateTable(policy.table)
        .set({ revoked_at: now, revoked_reason: 'leaked' })
        .where('id', '=', policy.usageIdOf(row))
        .where('revoked_reason', 'is', null)
        .where((eb) => eb.or([eb('revoked_at', 'is', null), eb('revoked_at', '>', now)]))
        .executeTakeFirst();
      if (Number(revoked.numUpdatedRows) === 0) continue;
      await recordLeak(trx, { kind: policy.kind, holder: policy.refusedUseOf(row), targetType: policy.audit.targetType }, reporter);
    }
  });
}

/** A leaked browser session is ended (deleted), as signing out of it would. */
async function endLeakedSessions(db: Db, hashes: readonly string[], reporter: Reporter): Promise<void> {
  const found: { id: string; user_id: string }[] = [];
  for (const tokenHash of hashes) {
    found.push(...(await db.selectFrom('sessions').select(['id', 'user_id']).where('token_hash', '=', tokenHash).execute()));
  }
  if (found.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const session of found) {
      const ended = await trx.deleteFrom('sessions').where('id', '=', session.id).executeTakeFirst();
      if (Number(ended.numDeletedRows) === 0) continue;
      const holder: RefusedUse = {
        actor: { type: 'user', id: session.user_id },
        userId: session.user_id,
        workspaceId: null,
        targetId: session.id,
      };
      await recordLeak(trx, { kind: 'session', holder, targetType: 'session' }, reporter);
    }
  });
}

/** A credential of a workspace reaches that workspace; one of a user (personal token, session) every workspace they belong to. */
async function workspacesReached(trx: Trx, holder: RefusedUse): Promise<string[]> {
  if (holder.workspaceId !== null) return [holder.workspaceId];
  if (holder.userId === null) return [];
  const rows = await trx.selectFrom('workspace_members').select('workspace_id').where('user_id', '=', holder.userId).execute();
  return rows.map((row) => row.workspace_id);
}

async function recordLeak(trx: Trx, leaked: LeakedCredential, reporter: Reporter): Promise<void> {
  const { holder } = leaked;
  const data = { kind: leaked.kind, tokenId: holder.targetId, holder: holder.actor, reason: 'leaked', source: reporter.source };
  for (const workspaceId of await workspacesReached(trx, holder)) {
    await recordEvent(trx, {
      workspaceId,
      type: 'token.leaked',
      actor: holder.actor,
      resourceType: 'token',
      resourceId: holder.targetId,
      data,
    });
  }
  await recordAudit(trx, {
    userId: holder.userId,
    workspaceId: holder.workspaceId,
    actor: holder.actor,
    action: 'token.leaked',
    targetType: leaked.targetType,
    targetId: holder.targetId,
    ip: reporter.ip,
    details: { kind: leaked.kind, source: reporter.source, reportedFrom: reporter.ip },
  });
}
