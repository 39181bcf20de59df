import type { ReactNode } from 'react';
import { Dialog, DialogContent } from '../../components/ui/dialog';
import { relativeTime } from '../../lib/format';
import { ExpiryBadge } from './token-badges';
import type { TokenRef } from './token-details-api';
import { TokenPermissionsSection } from './token-permissions-section';
import { TokenUsageSection } from './token-usage-section';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="grid gap-2" aria-label={title}>
      <h3 className="text-base font-semibold">{title}</h3>
      {children}
    </section>
  );
}

/**
 * A token's details, for every kind alike: `summary` (its badges, allowlist, a leak notice), its effective
 * permissions explained layer by layer, and what it used in the last 30 days (with "Narrow to what it used").
 */
export function TokenDetailsDialog({
  tokenRef,
  title,
  summary,
  canNarrow,
  onClose,
}: {
  tokenRef: TokenRef;
  title: string;
  summary?: ReactNode;
  canNarrow: boolean;
  onClose: () => void;
}) {
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent title={title} description="What it may do, why, and what it actually used." className="max-w-3xl">
        {summary}
        <Section title="Effective permissions">
          <TokenPermissionsSection tokenRef={tokenRef} />
        </Section>
        <Section title="Usage in the last 30 days">
          <TokenUsageSection tokenRef={tokenRef} canNarrow={canNarrow} />
        </Section>
      </DialogContent>
    </Dialog>
  );
}

/** What every token kind's details start with: its masked secret, expiry, last use and where it may be used from. */
export function TokenFacts({
  prefix,
  expiresAt,
  expiresInDays,
  lastUsedAt,
  allowedIps,
}: {
  prefix: string | null;
  expiresAt: string | null;
  expiresInDays: number | null;
  lastUsedAt: string | null;
  allowedIps: readonly string[] | null;
}) {
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
      <dt className="text-muted-foreground">Token</dt>
      <dd className="font-mono text-xs">{prefix ? `${prefix}…` : 'None (revoked)'}</dd>
      <dt className="text-muted-foreground">Expires</dt>
      <dd>{prefix ? <ExpiryBadge expiresAt={expiresAt} expiresInDays={expiresInDays} /> : '—'}</dd>
      <dt className="text-muted-foreground">Last used</dt>
      <dd>{lastUsedAt ? relativeTime(lastUsedAt) : 'Never'}</dd>
      <dt className="text-muted-foreground">Allowed from</dt>
      <dd className="font-mono text-xs [overflow-wrap:anywhere]">{allowedIps ? allowedIps.join(', ') : 'Any address'}</dd>
    </dl>
  );
}
