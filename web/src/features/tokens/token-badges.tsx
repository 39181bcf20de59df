import type { Token } from '@taskgate/client';
import { Badge } from '../../components/ui/badge';
import { daysUntil, formatDate } from '../../lib/format';

/** "Expires in 5 days" while soon, the date otherwise; red once expired. */
export function ExpiryBadge({ expiresAt, now = Date.now() }: { expiresAt: string | null; now?: number }) {
  if (expiresAt === null) return <span className="text-muted-foreground">Not specified</span>;
  const days = daysUntil(expiresAt, now);
  if (Date.parse(expiresAt) <= now) return <Badge variant="destructive">Expired {formatDate(expiresAt)}</Badge>;
  if (days < 1) return <Badge variant="warning">Expires today</Badge>;
  if (days <= 7)
    return (
      <Badge variant="warning">
        Expires in {days} day{days === 1 ? '' : 's'}
      </Badge>
    );
  return <span title={expiresAt}>{formatDate(expiresAt)}</span>;
}

const STATUS_VARIANT = { active: 'success', expired: 'destructive', revoked: 'secondary', disabled: 'secondary' } as const;

export function StatusBadge({ status }: { status: keyof typeof STATUS_VARIANT }) {
  return <Badge variant={STATUS_VARIANT[status]}>{status}</Badge>;
}

export function permissionSummary(token: Pick<Token, 'permissions'>): string {
  if (token.permissions === null) return 'All your role allows';
  if (token.permissions.length <= 2) return token.permissions.join(', ');
  return `${token.permissions.length} permissions`;
}
