import type { Token } from '@taskgate/client';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { PageHeader } from '../../components/page-header';
import { ConfirmDialog } from '../../components/ui/alert-dialog';
import { Button } from '../../components/ui/button';
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from '../../components/ui/dropdown-menu';
import { Input, Select } from '../../components/ui/input';
import { Label } from '../../components/ui/label';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table';
import { Tooltip } from '../../components/ui/tooltip';
import { formatDate, relativeTime } from '../../lib/format';
import { tokensQuery, useRevokeToken } from './api';
import { STATUSES, tokensSearch } from './search';
import { CreateTokenDialog } from './create-token-dialog';
import { DeleteAllTokensButton } from './delete-all-dialog';
import { EditTokenDialog } from './edit-token-dialog';
import { RotateTokenDialog } from './rotate-token-dialog';
import { ExpiryBadge, permissionSummary, StatusBadge } from './token-badges';

type Action = { kind: 'edit' | 'rotate' | 'revoke'; token: Token } | null;

export function TokensPage() {
  const filters = useSearch({ from: '/signed-in/settings/tokens' });
  const navigate = useNavigate({ from: '/settings/tokens' });
  const tokens = useQuery(tokensQuery(filters));
  const [action, setAction] = useState<Action>(null);
  const revoke = useRevokeToken();
  const hasActive = tokens.data?.some((t) => t.status === 'active') ?? false;
  return (
    <>
      <PageHeader
        title="Personal access tokens"
        description="Tokens act for you in scripts, CI pipelines and tools, never beyond what your role allows. Each secret is shown once."
        actions={
          <>
            <DeleteAllTokensButton disabled={!hasActive && !filters.status} />
            <CreateTokenDialog />
          </>
        }
      />
      <div className="mb-4 flex flex-wrap items-end gap-3">
        <div className="grid gap-1.5">
          <Label htmlFor="filter-status">Status</Label>
          <Select
            id="filter-status"
            className="w-36"
            value={filters.status ?? ''}
            onChange={(e) => navigate({ search: (prev) => tokensSearch({ ...prev, status: e.target.value }) })}
          >
            <option value="">All</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s[0]!.toUpperCase() + s.slice(1)}
              </option>
            ))}
          </Select>
        </div>
        <div className="grid min-w-0 flex-1 gap-1.5 sm:max-w-xs">
          <Label htmlFor="filter-q">Search by name</Label>
          <Input
            id="filter-q"
            type="search"
            defaultValue={filters.q ?? ''}
            placeholder="e.g. deploy"
            onChange={(e) => navigate({ search: (prev) => tokensSearch({ ...prev, q: e.target.value }), replace: true })}
          />
        </div>
      </div>
      <ErrorMessage error={tokens.error} />
      {tokens.isPending ? (
        <p className="text-sm text-muted-foreground">Loading tokens…</p>
      ) : tokens.data?.length === 0 ? (
        <div className="rounded-md border border-dashed p-8 text-center text-sm text-muted-foreground">
          {filters.status || filters.q
            ? 'No token matches these filters.'
            : 'You have no personal access tokens yet. Create one to script Taskgate.'}
        </div>
      ) : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead>Token</TableHead>
              <TableHead>Permissions</TableHead>
              <TableHead>Projects</TableHead>
              <TableHead>Created</TableHead>
              <TableHead>Last used</TableHead>
              <TableHead>Expires</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {tokens.data?.map((token) => (
              <TableRow key={token.id} data-token-id={token.id} data-status={token.status}>
                <TableCell className="font-medium">{token.name}</TableCell>
                <TableCell className="font-mono text-xs">{token.prefix}…</TableCell>
                <TableCell className="text-xs" title={token.permissions?.join(', ')}>
                  {permissionSummary(token)}
                </TableCell>
                <TableCell className="text-xs">
                  {token.projectIds === null ? 'All' : `${token.projectIds.length} project${token.projectIds.length === 1 ? '' : 's'}`}
                </TableCell>
                <TableCell className="whitespace-nowrap text-xs">{formatDate(token.createdAt)}</TableCell>
                <TableCell className="whitespace-nowrap text-xs">
                  {token.lastUsedAt ? (
                    <Tooltip content={`From ${token.lastUsedIp ?? 'an unknown address'}`}>
                      <button type="button" className="underline decoration-dotted">
                        {relativeTime(token.lastUsedAt)}
                      </button>
                    </Tooltip>
                  ) : (
                    <span className="text-muted-foreground">Never</span>
                  )}
                </TableCell>
                <TableCell className="whitespace-nowrap text-xs">
                  {token.status === 'revoked' ? formatDate(token.expiresAt) : <ExpiryBadge expiresAt={token.expiresAt} />}
                </TableCell>
                <TableCell>
                  <StatusBadge status={token.status} />
                </TableCell>
                <TableCell className="text-right">
                  <DropdownMenu>
                    <DropdownMenuTrigger asChild>
                      <Button variant="ghost" size="icon" aria-label={`Actions for ${token.name}`}>
                        ⋯
                      </Button>
                    </DropdownMenuTrigger>
                    <DropdownMenuContent>
                      <DropdownMenuItem disabled={token.status !== 'active'} onSelect={() => setAction({ kind: 'edit', token })}>
                        Edit
                      </DropdownMenuItem>
                      <DropdownMenuItem disabled={token.status !== 'active'} onSelect={() => setAction({ kind: 'rotate', token })}>
                        Rotate secret
                      </DropdownMenuItem>
                      <DropdownMenuItem asChild>
                        <Link to="/settings/audit-log" search={{ target: token.id }}>
                          Audit log
                        </Link>
                      </DropdownMenuItem>
                      <DropdownMenuItem
                        destructive
                        disabled={token.status === 'revoked'}
                        onSelect={() => setAction({ kind: 'revoke', token })}
                      >
                        Revoke
                      </DropdownMenuItem>
                    </DropdownMenuContent>
                  </DropdownMenu>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {action?.kind === 'edit' && <EditTokenDialog token={action.token} onClose={() => setAction(null)} />}
      {action?.kind === 'rotate' && <RotateTokenDialog token={action.token} onClose={() => setAction(null)} />}
      <ConfirmDialog
        open={action?.kind === 'revoke'}
        onOpenChange={(open) => {
          if (!open) {
            setAction(null);
            revoke.reset();
          }
        }}
        title={`Revoke “${action?.token.name ?? ''}”?`}
        description="It stops working on its next request. This cannot be undone."
        confirmLabel="Revoke token"
        pending={revoke.isPending}
        onConfirm={async () => {
          if (action) await revoke.mutateAsync([action.token.id]);
          setAction(null);
        }}
      >
        <ErrorMessage error={revoke.error} />
      </ConfirmDialog>
    </>
  );
}
