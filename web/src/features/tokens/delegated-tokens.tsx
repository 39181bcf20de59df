import type { DelegatedTokenSummary } from '@taskgate/client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { ConfirmDialog } from '../../components/ui/alert-dialog';
import { Button } from '../../components/ui/button';
import { TableCell, TableRow } from '../../components/ui/table';
import { answerOf, taskgate } from '../../lib/api';
import { relativeTime } from '../../lib/format';

/** Revokes a delegated token (and so every token below it), then refreshes the list `listKey` names. */
function useRevokeDelegatedToken(listKey: readonly unknown[]) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => answerOf(taskgate.api.DELETE('/api/v1/delegated-tokens/{id}', { params: { path: { id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: listKey }),
  });
}

const scopeOf = (d: DelegatedTokenSummary) =>
  [
    d.permissions === null ? 'all its parent holds' : d.permissions.join(', '),
    d.projectIds && `${d.projectIds.length} project${d.projectIds.length === 1 ? '' : 's'}`,
    d.taskId && `task ${d.taskId}`,
  ]
    .filter(Boolean)
    .join(' · ');

/**
 * The live tokens delegated below a listed token (or agent), as a row under its row: each indented by its
 * depth, with what it may do and when it ends, and a Revoke that ends it and everything below it.
 */
export function DelegatedTokensRow({
  parentName,
  delegations,
  columns,
  listKey,
  canRevoke,
}: {
  parentName: string;
  delegations: readonly DelegatedTokenSummary[];
  columns: number;
  listKey: readonly unknown[];
  canRevoke: boolean;
}) {
  const revoke = useRevokeDelegatedToken(listKey);
  const [revoking, setRevoking] = useState<DelegatedTokenSummary | null>(null);
  if (delegations.length === 0) return null;
  return (
    <TableRow className="bg-muted/20 hover:bg-muted/20">
      <TableCell colSpan={columns} className="py-2">
        <ul aria-label={`Delegated by ${parentName}`} className="grid gap-1 text-xs">
          {delegations.map((d) => (
            <li
              key={d.id}
              data-delegated-id={d.id}
              className="flex flex-wrap items-center gap-x-3 gap-y-1"
              style={{ paddingLeft: `${d.depth}rem` }}
            >
              <span aria-hidden>↳</span>
              <span className="font-medium">{d.name}</span>
              <span className="font-mono">{d.displayPrefix}…</span>
              <span className="text-muted-foreground">{scopeOf(d)}</span>
              <span>Ends {relativeTime(d.expiresAt)}</span>
              <span className="text-muted-foreground">{d.lastUsedAt ? `Used ${relativeTime(d.lastUsedAt)}` : 'Never used'}</span>
              {canRevoke && (
                <Button
                  variant="outline"
                  size="sm"
                  className="h-7 text-destructive-text"
                  aria-label={`Revoke ${d.name}`}
                  onClick={() => setRevoking(d)}
                >
                  Revoke
                </Button>
              )}
            </li>
          ))}
        </ul>
        <ConfirmDialog
          open={revoking !== null}
          onOpenChange={(open) => {
            if (!open) {
              setRevoking(null);
              revoke.reset();
            }
          }}
          title={`Revoke “${revoking?.name ?? ''}”?`}
          description="It stops working on its next request, and so does every token delegated below it."
          confirmLabel="Revoke delegated token"
          pending={revoke.isPending}
          onConfirm={() => revoking && revoke.mutate(revoking.id, { onSuccess: () => setRevoking(null) })}
        >
          <ErrorMessage error={revoke.error} />
        </ConfirmDialog>
      </TableCell>
    </TableRow>
  );
}
