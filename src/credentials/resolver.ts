import type { FastifyRequest } from 'fastify';
import type { Principal } from '../authz/principal.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors/app-error.js';
import { nowIso } from '../lib/time.js';
import type { CredentialPolicy } from './policies.js';
import { auditRefusedUse } from './refused-use-audit.js';
import { refusalOf } from './state.js';

/**
 * Turns a well-formed token of one kind into a principal, or throws a 401 AppError. It reads the
 * database as it is now, so revocation, disabling and expiry apply to the very next request, and it
 * never writes: last use is buffered (`ctx.usage`), refused uses are audited at most once a minute.
 */
export type TokenResolver = (ctx: AppContext, tokenHash: string, request: FastifyRequest) => Promise<Principal>;

/** The one resolver every API token kind goes through: lookup by hash, state check, audit a refusal, touch usage, principal. */
export function credentialResolver<Row extends object>(policy: CredentialPolicy<Row>): TokenResolver {
  const { nouns } = policy;
  return async (ctx, tokenHash, request) => {
    const [row] = await policy.find(ctx.db, tokenHash);
    if (row === undefined) throw new AppError('INVALID_TOKEN', `This ${nouns.token} is unknown or has been deleted`);
    if (policy.ownerBlocked?.(row)) throw new AppError('USER_BLOCKED', `This ${nouns.token}'s owner is blocked`);
    const now = nowIso();
    const refusal = refusalOf(policy.stateOf(row, tokenHash), now, nouns);
    if (refusal) {
      await auditRefusedUse(ctx, request, policy.audit, policy.refusedUseOf(row), refusal.reason);
      throw refusal.error;
    }
    ctx.usage.touch(policy.table, policy.usageIdOf(row), request.ip, now);
    // While the row is the cache's shared one (SQLite, nothing changed), so is the principal it grants.
    return ctx.reads.keep(`${policy.table} principal`, [row], () => policy.principalOf(row));
  };
}
