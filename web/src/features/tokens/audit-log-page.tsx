import { useQuery } from '@tanstack/react-query';
import { Link, useSearch } from '@tanstack/react-router';
import { ErrorMessage } from '../../components/error-message';
import { PageHeader } from '../../components/page-header';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table';
import { formatDateTime } from '../../lib/format';
import { auditLogQuery } from './api';

/** What happened to your credentials; `?target=` narrows it to one token. */
export function AuditLogPage() {
  const { target } = useSearch({ from: '/signed-in/settings/audit-log' });
  const log = useQuery(auditLogQuery);
  const entries = (log.data ?? []).filter((entry) => !target || entry.targetId === target);
  return (
    <>
      <PageHeader
        title="Audit log"
        description={target ? <>Entries for <span className="font-mono">{target}</span> · <Link to="/settings/audit-log" className="underline">show all</Link></> : 'Security events on your account and tokens, newest first.'}
      />
      <ErrorMessage error={log.error} />
      {log.isPending ? <p className="text-sm text-muted-foreground">Loading…</p> : entries.length === 0 ? (
        <p className="text-sm text-muted-foreground">Nothing recorded yet.</p>
      ) : (
        <Table>
          <TableHeader>
            <TableRow><TableHead>When</TableHead><TableHead>What</TableHead><TableHead>Target</TableHead><TableHead>From</TableHead></TableRow>
          </TableHeader>
          <TableBody>
            {entries.map((entry) => (
              <TableRow key={entry.id}>
                <TableCell className="whitespace-nowrap text-xs">{formatDateTime(entry.createdAt)}</TableCell>
                <TableCell className="font-mono text-xs">{entry.action}</TableCell>
                <TableCell className="font-mono text-xs">{entry.targetId}</TableCell>
                <TableCell className="text-xs">{entry.ip ?? '—'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}
