import type { ListedAccessToken } from '@taskgate/client';
import { useQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useTable } from '@tanstack/react-table';
import { Fragment, useMemo, useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { PageHeader } from '../../components/page-header';
import { SecretDialog } from '../../components/secret-dialog';
import { ConfirmDialog } from '../../components/ui/alert-dialog';
import { Button } from '../../components/ui/button';
import {
  DropdownMenu,
  DropdownMenuCheckboxItem,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuTrigger,
} from '../../components/ui/dropdown-menu';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table';
import { cn } from '../../lib/cn';
import { AccessTokenDialog } from './access-token-dialog';
import { callerRoleQuery } from '../../lib/queries';
import { accessTokensQuery, useCreateAccessToken, useDeleteAccessToken, useUpdateAccessToken } from './api';
import { useRememberedColumnVisibility } from './column-visibility';
import { accessTokenColumns, COLUMN_LABELS, features } from './columns';
import { accessTokenAbilities } from './roles';
import { DelegatedTokensRow } from '../tokens/delegated-tokens';
import { TokenDetailsDialog, TokenFacts } from '../tokens/token-details-dialog';
import { accessTokenLeakReport, LeakedNotice, workspaceLeakEventsQuery } from '../tokens/leak-reports';

type Action = { kind: 'create' } | { kind: 'edit' | 'delete' | 'details'; token: ListedAccessToken } | null;

/** A notice for each of the workspace's tokens a leak report revoked, with where it was found. */
function AccessTokenLeakedNotices({ workspaceId, tokens }: { workspaceId: string; tokens: readonly ListedAccessToken[] }) {
  const leaked = tokens.filter((t) => t.revokedReason === 'leaked');
  const events = useQuery({ ...workspaceLeakEventsQuery(workspaceId), enabled: leaked.length > 0 });
  if (leaked.length === 0) return null;
  return (
    <div className="mb-4 grid gap-2">
      {leaked.map((token) => (
        <LeakedNotice
          key={token.id}
          subject={`“${token.label}”`}
          revokedAt={token.revokedAt}
          report={accessTokenLeakReport(events.data, token.id)}
        />
      ))}
    </div>
  );
}

/** The workspace's Access Tokens page: the team's API keys. */
export function AccessTokensPage() {
  const { workspaceId } = useParams({ from: '/signed-in/workspace/$workspaceId/access-tokens' });
  const tokens = useQuery(accessTokensQuery(workspaceId));
  const role = useQuery(callerRoleQuery(workspaceId));
  const can = accessTokenAbilities(role.data ?? null);
  const [action, setAction] = useState<Action>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const create = useCreateAccessToken(workspaceId);
  const update = useUpdateAccessToken(workspaceId);
  const remove = useDeleteAccessToken(workspaceId);
  const [columnVisibility, setColumnVisibility] = useRememberedColumnVisibility();

  const hasActions = can.edit || can.disable || can.remove;
  const columns = useMemo(
    () =>
      accessTokenColumns(
        (token) => (
          <DropdownMenu>
            <DropdownMenuTrigger asChild>
              <Button variant="ghost" size="icon" aria-label={`Actions for ${token.label}`}>
                ⋯
              </Button>
            </DropdownMenuTrigger>
            <DropdownMenuContent>
              <DropdownMenuItem onSelect={() => setAction({ kind: 'details', token })}>Permissions and usage</DropdownMenuItem>
              {can.edit && <DropdownMenuItem onSelect={() => setAction({ kind: 'edit', token })}>Edit</DropdownMenuItem>}
              {can.disable && token.status !== 'disabled' && (
                <DropdownMenuItem onSelect={() => update.mutate([token.id, { enabled: false }])}>Disable</DropdownMenuItem>
              )}
              {can.disable && token.status === 'disabled' && (
                <DropdownMenuItem onSelect={() => update.mutate([token.id, { enabled: true }])}>Enable</DropdownMenuItem>
              )}
              {can.remove && (
                <DropdownMenuItem destructive onSelect={() => setAction({ kind: 'delete', token })}>
                  Delete
                </DropdownMenuItem>
              )}
            </DropdownMenuContent>
          </DropdownMenu>
        ),
        (token) => setAction({ kind: 'details', token }),
      ),
    [can.edit, can.disable, can.remove, update],
  );

  const data = useMemo(() => tokens.data ?? [], [tokens.data]);
  const table = useTable({
    features,
    columns,
    data,
    getRowId: (row) => row.id,
    state: { columnVisibility: { ...columnVisibility, actions: hasActions } },
    onColumnVisibilityChange: (updater) =>
      setColumnVisibility((old) => {
        const next = typeof updater === 'function' ? updater(old) : updater;
        const { actions: _, ...rest } = next;
        return rest;
      }),
  });

  return (
    <>
      <PageHeader
        title="Access tokens"
        description="Workspace API keys for scripts, CI and bots. Each acts with exactly one role, whoever created it."
        actions={
          <>
            <DropdownMenu>
              <DropdownMenuTrigger asChild>
                <Button variant="outline">Columns</Button>
              </DropdownMenuTrigger>
              <DropdownMenuContent>
                <DropdownMenuLabel>Show columns</DropdownMenuLabel>
                {table
                  .getAllLeafColumns()
                  .filter((c) => c.getCanHide())
                  .map((column) => (
                    <DropdownMenuCheckboxItem
                      key={column.id}
                      checked={column.getIsVisible()}
                      onCheckedChange={(v) => column.toggleVisibility(!!v)}
                      onSelect={(e) => e.preventDefault()}
                    >
                      {COLUMN_LABELS[column.id] ?? column.id}
                    </DropdownMenuCheckboxItem>
                  ))}
              </DropdownMenuContent>
            </DropdownMenu>
            {can.create && <Button onClick={() => setAction({ kind: 'create' })}>Create token</Button>}
          </>
        }
      />
      {!can.create && role.data !== undefined && (
        <p className="mb-3 text-sm text-muted-foreground">
          Your role lets you see the workspace's tokens; Workspace Managers and above manage them.
        </p>
      )}
      <ErrorMessage error={tokens.error ?? update.error} />
      <AccessTokenLeakedNotices workspaceId={workspaceId} tokens={data} />
      {tokens.isPending ? (
        <p className="text-sm text-muted-foreground">Loading tokens…</p>
      ) : data.length === 0 ? (
        <div className="rounded-md border border-dashed p-8 text-center text-sm text-muted-foreground">
          This workspace has no access tokens yet.
        </div>
      ) : (
        <Table>
          <TableHeader>
            {table.getHeaderGroups().map((group) => (
              <TableRow key={group.id}>
                {group.headers.map((header) => (
                  <TableHead key={header.id}>{header.isPlaceholder ? null : <table.FlexRender header={header} />}</TableHead>
                ))}
              </TableRow>
            ))}
          </TableHeader>
          <TableBody>
            {table.getRowModel().rows.map((row) => (
              <Fragment key={row.id}>
                <TableRow
                  data-token-id={row.id}
                  data-status={row.original.status}
                  className={cn(
                    // Dimmed, with every text in the full foreground colour so it stays readable (4.5:1) when dimmed.
                    row.original.status === 'disabled' && 'opacity-70 [&_*]:!text-foreground',
                    row.original.status === 'expired' && 'bg-destructive/10 hover:bg-destructive/15',
                  )}
                >
                  {row.getVisibleCells().map((cell) => (
                    <TableCell key={cell.id}>
                      <table.FlexRender cell={cell} />
                    </TableCell>
                  ))}
                </TableRow>
                <DelegatedTokensRow
                  parentName={row.original.label}
                  delegations={row.original.delegations}
                  columns={row.getVisibleCells().length}
                  listKey={['access-tokens', workspaceId]}
                  canRevoke={can.edit}
                />
              </Fragment>
            ))}
          </TableBody>
        </Table>
      )}
      {(action?.kind === 'create' || action?.kind === 'edit') && (
        <AccessTokenDialog
          token={action.kind === 'edit' ? action.token : null}
          scopes={can.scopes}
          pending={create.isPending || update.isPending}
          error={action.kind === 'edit' ? update.error : create.error}
          onClose={() => {
            setAction(null);
            create.reset();
            update.reset();
          }}
          onSubmit={async (request) => {
            if (action.kind === 'edit') {
              await update.mutateAsync([action.token.id, request]);
            } else {
              const { expiresAt, ...rest } = request;
              const issued = await create.mutateAsync([{ ...rest, ...(expiresAt ? { expiresAt } : {}) }]);
              setSecret(issued.token);
            }
            setAction(null);
          }}
        />
      )}
      {action?.kind === 'details' && (
        <TokenDetailsDialog
          tokenRef={{ kind: 'workspace', workspaceId, id: action.token.id }}
          title={`“${action.token.label}”`}
          canNarrow={can.edit && action.token.status === 'active'}
          onClose={() => setAction(null)}
          summary={<TokenFacts {...action.token} />}
        />
      )}
      <SecretDialog secret={secret} title="Your new access token" onClose={() => setSecret(null)} />
      <ConfirmDialog
        open={action?.kind === 'delete'}
        onOpenChange={(open) => {
          if (!open) {
            setAction(null);
            remove.reset();
          }
        }}
        title={`Delete “${action?.kind === 'delete' ? action.token.label : ''}”?`}
        description="Scripts using it are refused from their next request. This cannot be undone."
        confirmLabel="Delete token"
        pending={remove.isPending}
        onConfirm={async () => {
          if (action?.kind === 'delete') await remove.mutateAsync([action.token.id]);
          setAction(null);
        }}
      >
        <ErrorMessage error={remove.error} />
      </ConfirmDialog>
    </>
  );
}
