import type { ListedToken } from '@taskgate/client';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { PageHeader } from '../../components/page-header';
import { ConfirmDialog } from '../../components/ui/alert-dialog';
import { Input, Select } from '../../components/ui/input';
import { Label } from '../../components/ui/label';
import { Table, TableBody, TableHead, TableHeader, TableRow } from '../../components/ui/table';
import { tokensQuery, useRevokeToken } from './api';
import { STATUSES, tokensSearch } from './search';
import { CreateTokenDialog } from './create-token-dialog';
import { DeleteAllTokensButton } from './delete-all-dialog';
import { EditTokenDialog } from './edit-token-dialog';
import { PersonalLeakedNotices, PersonalTokenDetails } from './personal-token-details';
import { type PersonalTokenAction, PersonalTokenRow } from './personal-token-row';
import { RotateTokenDialog } from './rotate-token-dialog';

type Action = { kind: PersonalTokenAction; token: ListedToken } | null;

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
      <PersonalLeakedNotices tokens={tokens.data ?? []} />
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
              <PersonalTokenRow key={token.id} token={token} onAction={(kind) => setAction({ kind, token })} />
            ))}
          </TableBody>
        </Table>
      )}
      {action?.kind === 'details' && <PersonalTokenDetails token={action.token} onClose={() => setAction(null)} />}
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
