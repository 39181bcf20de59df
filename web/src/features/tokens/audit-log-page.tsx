import type { AuditEntry } from '@taskgate/client';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { ErrorMessage } from '../../components/error-message';
import { PageHeader } from '../../components/page-header';
import { Select } from '../../components/ui/input';
import { Label } from '../../components/ui/label';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table';
import { formatDateTime } from '../../lib/format';
import { auditLogQuery } from './api';
import { auditLogSearch } from './search';

/** The name the entry's details give its target (a token's name), if any. */
function targetName(entry: AuditEntry): string | null {
  const name = (entry.details as Record<string, unknown>).name;
  return typeof name === 'string' ? name : null;
}

/** What happened to your credentials; `?target=` narrows it to one token, `?action=` to one kind of event. */
export function AuditLogPage() {
  const search = useSearch({ from: '/signed-in/settings/audit-log' });
  const navigate = useNavigate({ from: '/settings/audit-log' });
  const log = useQuery(auditLogQuery);
  const all = log.data ?? [];
  const actions = [...new Set(all.map((e) => e.action))].sort();
  const entries = all.filter(
    (entry) => (!search.target || entry.targetId === search.target) && (!search.action || entry.action === search.action),
  );
  const targetLabel = search.target ? all.map(targetName).find((n, i) => n !== null && all[i]!.targetId === search.target) : null;
  return (
    <>
      <PageHeader
        title="Audit log"
        description={
          search.target ? (
            <>
              Entries for <span className="font-mono">{targetLabel ? `“${targetLabel}” (${search.target})` : search.target}</span> ·{' '}
              <Link to="/settings/audit-log" search={search.action ? { action: search.action } : {}} className="underline">
                show all
              </Link>
            </>
          ) : (
            'Security events on your account and tokens, newest first.'
          )
        }
      />
      <div className="mb-4 flex flex-wrap items-end gap-3" role="search" aria-label="Filter the audit log">
        <div className="grid gap-1.5">
          <Label htmlFor="audit-action">Action</Label>
          <Select
            id="audit-action"
            className="w-56"
            value={search.action ?? ''}
            onChange={(e) => navigate({ search: (prev) => auditLogSearch({ ...prev, action: e.target.value || undefined }) })}
          >
            <option value="">Every action</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </Select>
        </div>
      </div>
      <ErrorMessage error={log.error} />
      {log.isPending ? (
        <p className="text-sm text-muted-foreground">Loading…</p>
      ) : entries.length === 0 ? (
        <p className="text-sm text-muted-foreground">{all.length === 0 ? 'Nothing recorded yet.' : 'No entry matches.'}</p>
      ) : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>When</TableHead>
              <TableHead>What</TableHead>
              <TableHead>Target</TableHead>
              <TableHead>From</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {entries.map((entry) => (
              <TableRow key={entry.id} data-action={entry.action}>
                <TableCell className="whitespace-nowrap text-xs">{formatDateTime(entry.createdAt)}</TableCell>
                <TableCell className="font-mono text-xs">{entry.action}</TableCell>
                <TableCell className="text-xs">
                  {targetName(entry) && <span className="mr-1 font-medium">{targetName(entry)}</span>}
                  <Link
                    to="/settings/audit-log"
                    search={(prev) => ({ ...prev, target: entry.targetId })}
                    className="font-mono underline decoration-dotted"
                  >
                    {entry.targetId}
                  </Link>
                </TableCell>
                <TableCell className="text-xs">{entry.ip ?? '—'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}
