import type { ListedToken } from '@taskgate/client';
import { useQuery } from '@tanstack/react-query';
import { LeakedNotice, personalLeakReportsQuery } from './leak-reports';
import { TokenDetailsDialog, TokenFacts } from './token-details-dialog';

/** A notice for each of your tokens a leak report revoked, with where it was found. */
export function PersonalLeakedNotices({ tokens }: { tokens: readonly ListedToken[] }) {
  const leaked = tokens.filter((t) => t.revokedReason === 'leaked');
  const reports = useQuery({ ...personalLeakReportsQuery, enabled: leaked.length > 0 });
  if (leaked.length === 0) return null;
  return (
    <div className="mb-4 grid gap-2">
      {leaked.map((token) => (
        <LeakedNotice key={token.id} subject={`“${token.name}”`} revokedAt={token.revokedAt} report={reports.data?.get(token.id) ?? null} />
      ))}
    </div>
  );
}

/** A personal token's details: its facts (and leak notice), permissions in a workspace of yours, and usage. */
export function PersonalTokenDetails({ token, onClose }: { token: ListedToken; onClose: () => void }) {
  const reports = useQuery({ ...personalLeakReportsQuery, enabled: token.revokedReason === 'leaked' });
  return (
    <TokenDetailsDialog
      tokenRef={{ kind: 'personal', id: token.id }}
      title={`“${token.name}”`}
      canNarrow={token.status === 'active'}
      onClose={onClose}
      summary={
        <>
          {token.revokedReason === 'leaked' && (
            <LeakedNotice subject={`“${token.name}”`} revokedAt={token.revokedAt} report={reports.data?.get(token.id) ?? null} />
          )}
          <TokenFacts {...token} />
        </>
      }
    />
  );
}
