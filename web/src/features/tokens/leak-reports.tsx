import type { AuditEntry, Event } from '@taskgate/client';
import { queryOptions } from '@tanstack/react-query';
import { taskgate } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { auditLogQuery } from './api';

/** A leak report that revoked a token: when, where the token was found, and who reported it (when known). */
export interface LeakReport {
  at: string;
  source: string | null;
  reportedFrom: string | null;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** Your personal tokens' leak reports by token id, from your audit log (`token.leaked` names the reporter's address). */
export const personalLeakReportsQuery = queryOptions({
  ...auditLogQuery,
  select: (entries: AuditEntry[]) =>
    new Map(
      entries
        .filter((entry) => entry.action === 'token.leaked')
        .map((entry) => [
          entry.targetId,
          { at: entry.createdAt, source: text(entry.details.source), reportedFrom: text(entry.details.reportedFrom) },
        ]),
    ),
});

/** A workspace's `token.leaked` events (its access tokens' and its agents'), newest first. */
export const workspaceLeakEventsQuery = (workspaceId: string) =>
  queryOptions({
    queryKey: ['leak-reports', workspaceId],
    queryFn: () => taskgate.events.list(workspaceId, { type: 'token.leaked', limit: 200 }).all(),
  });

const reportOf = (event: Event): LeakReport => ({ at: event.createdAt, source: text(event.data.source), reportedFrom: null });

/** The report that revoked a workspace access token. */
export function accessTokenLeakReport(events: readonly Event[] | undefined, tokenId: string): LeakReport | null {
  const event = events?.find((e) => e.resourceId === tokenId);
  return event ? reportOf(event) : null;
}

/** The report that revoked an agent's token, unless the agent has been issued a new one since. */
export function agentLeakReport(events: readonly Event[] | undefined, agentId: string, tokenIssuedAt: string | null): LeakReport | null {
  const event = events?.find((e) => e.actor.type === 'agent' && e.actor.id === agentId);
  if (!event || (tokenIssuedAt !== null && tokenIssuedAt > event.createdAt)) return null;
  return reportOf(event);
}

/** The notice a token revoked by a leak report shows (`subject`: “CI deploys”): what happened, and what to do now. */
export function LeakedNotice({ subject, report, revokedAt }: { subject: string; report: LeakReport | null; revokedAt: string | null }) {
  const at = report?.at ?? revokedAt;
  return (
    <div
      role="alert"
      data-testid="leaked-notice"
      className="rounded-md border border-destructive/40 bg-destructive/10 px-3 py-2 text-sm text-destructive-text [overflow-wrap:anywhere]"
    >
      <p className="font-medium">{subject} was found in public and revoked</p>
      <p>
        Reported leaked{at ? ` at ${formatDateTime(at)}` : ''}
        {report?.source ? ` from ${report.source}` : ''}
        {report?.reportedFrom ? ` (reported from ${report.reportedFrom})` : ''}. Nobody can use it any more: create a new token and replace
        it wherever it was used.
      </p>
    </div>
  );
}
