import type { Token } from '@taskgate/client';
import { Badge } from '../../components/ui/badge';
import { Tooltip } from '../../components/ui/tooltip';
import { formatDate } from '../../lib/format';

/** How many days before its expiry a token is flagged (the banner and the badges). */
export const EXPIRY_WARNING_DAYS = 7;

/** Whether a list's `expiresInDays` puts a token in the warning window. */
export const expiresSoon = (expiresInDays: number | null): expiresInDays is number =>
  expiresInDays !== null && expiresInDays <= EXPIRY_WARNING_DAYS;

/** "Expires in 5 days" while soon (from the list's `expiresInDays`), the date otherwise; red once expired. */
export function ExpiryBadge({ expiresAt, expiresInDays }: { expiresAt: string | null; expiresInDays: number | null }) {
  if (expiresAt === null) return <span className="text-muted-foreground">Not specified</span>;
  if (expiresInDays === null) return <Badge variant="destructive">Expired {formatDate(expiresAt)}</Badge>;
  if (expiresInDays === 0) return <Badge variant="warning">Expires today</Badge>;
  if (expiresSoon(expiresInDays))
    return (
      <Badge variant="warning">
        Expires in {expiresInDays} day{expiresInDays === 1 ? '' : 's'}
      </Badge>
    );
  return <span title={expiresAt}>{formatDate(expiresAt)}</span>;
}

const STATUS_VARIANT = { active: 'success', expired: 'destructive', revoked: 'secondary', disabled: 'secondary' } as const;

export function StatusBadge({ status }: { status: keyof typeof STATUS_VARIANT }) {
  return <Badge variant={STATUS_VARIANT[status]}>{status}</Badge>;
}

/** What a list says of any token kind's hygiene. */
export interface TokenHygiene {
  stale: boolean;
  revokedReason?: 'leaked' | null;
  allowedIps: readonly string[] | null;
}

/** Leaked, stale (unused for the stale period) and IP-restricted, next to a token's name. */
export function HygieneBadges({ stale, revokedReason, allowedIps }: TokenHygiene) {
  if (!stale && revokedReason !== 'leaked' && allowedIps === null) return null;
  return (
    <span className="flex flex-wrap gap-1">
      {revokedReason === 'leaked' && <Badge variant="destructive">Leaked</Badge>}
      {stale && (
        <Badge variant="warning" title="Not used for 90 days: revoke it if nothing needs it">
          Stale
        </Badge>
      )}
      {allowedIps !== null && (
        <Tooltip content={`Only from ${allowedIps.join(', ')}`}>
          <button type="button" className="rounded-full" aria-label={`IP-restricted: only from ${allowedIps.join(', ')}`}>
            <Badge variant="outline">IP-restricted</Badge>
          </button>
        </Tooltip>
      )}
    </span>
  );
}

export function permissionSummary(token: Pick<Token, 'permissions'>): string {
  if (token.permissions === null) return 'All your role allows';
  if (token.permissions.length <= 2) return token.permissions.join(', ');
  return `${token.permissions.length} permissions`;
}
