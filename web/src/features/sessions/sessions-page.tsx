import type { Session } from '@taskgate/client';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { PageHeader } from '../../components/page-header';
import { ConfirmDialog } from '../../components/ui/alert-dialog';
import { Badge } from '../../components/ui/badge';
import { Button } from '../../components/ui/button';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table';
import { taskgate } from '../../lib/api';
import { formatDateTime, relativeTime } from '../../lib/format';

const sessionsQuery = queryOptions({ queryKey: ['sessions'], queryFn: () => taskgate.sessions.list().all() });

/** Where you are signed in: sign out one device, or every other one. */
export function SessionsPage() {
  const queryClient = useQueryClient();
  const sessions = useQuery(sessionsQuery);
  const [ending, setEnding] = useState<Session | 'others' | null>(null);
  const end = useMutation({
    mutationFn: async (target: Session | 'others') => {
      if (target === 'others') await taskgate.sessions.revokeOthers();
      else await taskgate.sessions.revoke(target.id);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: sessionsQuery.queryKey }),
  });
  const others = sessions.data?.filter((s) => !s.current).length ?? 0;
  return (
    <>
      <PageHeader
        title="Sessions and devices"
        description="Every browser and CLI signed in to your account."
        actions={
          <Button variant="outline" disabled={others === 0} onClick={() => setEnding('others')}>
            Sign out all other devices
          </Button>
        }
      />
      <ErrorMessage error={sessions.error} />
      {sessions.isPending ? (
        <p className="text-sm text-muted-foreground">Loading sessions…</p>
      ) : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Device</TableHead>
              <TableHead>IP address</TableHead>
              <TableHead>Signed in</TableHead>
              <TableHead>Last seen</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {sessions.data?.map((session) => (
              <TableRow key={session.id} data-session-id={session.id}>
                <TableCell>
                  <span className="font-medium">{session.deviceLabel}</span>
                  {session.current && (
                    <Badge variant="success" className="ml-2">
                      This device
                    </Badge>
                  )}
                </TableCell>
                <TableCell className="font-mono text-xs">{session.ip ?? '—'}</TableCell>
                <TableCell className="whitespace-nowrap text-xs">{formatDateTime(session.createdAt)}</TableCell>
                <TableCell className="whitespace-nowrap text-xs">{relativeTime(session.lastSeenAt)}</TableCell>
                <TableCell className="text-right">
                  {!session.current && (
                    <Button variant="outline" size="sm" onClick={() => setEnding(session)} aria-label={`Sign out ${session.deviceLabel}`}>
                      Sign out
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <ConfirmDialog
        open={ending !== null}
        onOpenChange={(open) => {
          if (!open) {
            setEnding(null);
            end.reset();
          }
        }}
        title={ending === 'others' ? 'Sign out all other devices?' : 'Sign out this device?'}
        description={
          ending === 'others'
            ? `${others} other session${others === 1 ? '' : 's'} will need to sign in again.`
            : 'It will need to sign in again.'
        }
        confirmLabel="Sign out"
        pending={end.isPending}
        onConfirm={async () => {
          if (ending) await end.mutateAsync(ending);
          setEnding(null);
        }}
      >
        <ErrorMessage error={end.error} />
      </ConfirmDialog>
    </>
  );
}
