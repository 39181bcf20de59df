import type { FastifyRequest } from 'fastify';
import type { Principal } from '../authz/principal.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors/app-error.js';
import { nowIso } from '../lib/time.js';
import { ipCheckOf, type IpCheck } from './ip-allowlist.js';
import type { ApiTokenKind, CredentialPolicy } from './policies.js';
import { auditRefusedUse } from './refused-use-audit.js';
import { refusalOf, type Refusal, type RefusalNouns } from './state.js';

/**
 * Turns a well-formed token of one kind into a principal, or throws a 401 AppError (a 403 when used from
 * outside its IP allowlist). It reads the database as it is now, so revocation, disabling and expiry apply
 * to the very next request, and it never writes: last use is buffered (`ctx.usage`), refused uses are audited at most once a minute.
 */
export type TokenResolver = (ctx: AppContext, tokenHash: string, request: FastifyRequest) => Promise<Principal>;

/** Refused when the client address is outside the credential's allowlist (`request.ip` follows TASKGATE_TRUST_PROXY). */
function ipRefusal(ipCheck: IpCheck | null, ip: string, nouns: RefusalNouns): Refusal | null {
  if (ipCheck === null || ipCheck(ip)) return null;
  const message = `This ${nouns.token} may not be used from ${ip}: the address is outside its IP allowlist`;
  return { reason: 'ip_not_allowed', error: new AppError('IP_NOT_ALLOWED', message, { refusedBy: 'ip_allowlist', ip }) };
}

/** Each API token kind's policy, by kind: where a credential's parent (a delegated token's) is resolved. */
export type PolicyOfKind = (kind: ApiTokenKind) => CredentialPolicy<object>;

/** A parent's refusal, told as its child's: the code stays (401 for a dead parent), the message says whose it was. */
function ancestorRefusal(err: AppError, nouns: RefusalNouns): AppError {
  const message = `This ${nouns.token} no longer works: an ancestor it was delegated from is refused (${err.message})`;
  return new AppError(err.code, message, err.details);
}

/**
 * Looks a credential up by hash and checks it, then its parent (when it has one, with the parent kind's own
 * policy, and so on up the chain), and derives its principal. Only the presented credential (`presented`) is
 * audited when refused and has its use buffered; a refused ancestor is audited as the presented credential's.
 */
async function principalOfCredential<Row extends object>(
  ctx: AppContext,
  policy: CredentialPolicy<Row>,
  policyOf: PolicyOfKind,
  tokenHash: string,
  request: FastifyRequest,
  presented: boolean,
): Promise<Principal> {
  const { nouns } = policy;
  const [row] = await policy.find(ctx.db, tokenHash);
  if (row === undefined) throw new AppError('INVALID_TOKEN', `This ${nouns.token} is unknown or has been deleted`);
  if (policy.ownerBlocked?.(row)) throw new AppError('USER_BLOCKED', `This ${nouns.token}'s owner is blocked`);
  const now = nowIso();
  // Parsed once per shared row (ADR 0001), not per request.
  const ipCheck = ctx.reads.keep(`${policy.table} ip allowlist`, [row], () => ipCheckOf(policy.allowedIpsOf(row)));
  const refusal = refusalOf(policy.stateOf(row, tokenHash), now, nouns) ?? ipRefusal(ipCheck, request.ip, nouns);
  if (refusal) {
    if (presented) await auditRefusedUse(ctx, request, policy.audit, policy.refusedUseOf(row), refusal.reason);
    throw refusal.error;
  }
  const link = policy.parentOf?.(row);
  let parent: Principal | null = null;
  if (link !== undefined) {
    try {
      parent = await principalOfCredential(ctx, policyOf(link.kind), policyOf, link.tokenHash, request, false);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (presented) await auditRefusedUse(ctx, request, policy.audit, policy.refusedUseOf(row), 'ancestor_refused');
      throw ancestorRefusal(err, nouns);
    }
  }
  if (presented) ctx.usage.touch(policy.table, policy.usageIdOf(row), request.ip, now);
  // While the rows are the cache's shared ones (SQLite, nothing changed), so is the principal they grant.
  if (parent === null) return ctx.reads.keep(`${policy.table} principal`, [row], () => policy.principalOf(row, null));
  const derivedFrom = parent;
  return ctx.reads.keep(`${policy.table} principal`, [row, derivedFrom], () => policy.principalOf(row, derivedFrom));
}

/**
 * The one resolver every API token kind goes through: lookup by hash, state check, IP allowlist, audit a
 * refusal, the parent's resolution (a delegated token's), touch usage, principal.
 */
export function credentialResolver<Row extends object>(policy: CredentialPolicy<Row>, policyOf: PolicyOfKind): TokenResolver {
  return (ctx, tokenHash, request) => principalOfCredential(ctx, policy, policyOf, tokenHash, request, true);
}
