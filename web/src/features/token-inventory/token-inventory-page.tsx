import type { InventoryToken } from '@taskgate/client';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useTable } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { PageHeader } from '../../components/page-header';
import { ConfirmDialog } from '../../components/ui/alert-dialog';
import { Button } from '../../components/ui/button';
import { Select } from '../../components/ui/input';
import { Label } from '../../components/ui/label';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table';
import { cn } from '../../lib/cn';
import { tokenInventoryQuery, useRevokeFromInventory } from './api';
import { features, inventoryColumns } from './columns';
import { inventorySearch, KINDS, STATUSES, type InventorySearch } from './search';

const ROUTE = '/signed-in/workspace/$workspaceId/token-inventory';

const REVOKE_EFFECT: Record<InventoryToken['kind'], string> = {
  personal: 'Its owner’s scripts using it are refused from their next request, in every workspace. This cannot be undone.',
  workspace: 'Scripts using it are refused from their next request. It stays listed, revoked. This cannot be undone.',
  agent: 'The agent is refused from its next request until someone issues it a new token.',
  delegated: 'The sub-agent using it, and every token it delegated in turn, are refused from their next request.',
};

/** The people tokens were created by, from the unfiltered inventory, for the "Created by" filter. */
function useCreators(workspaceId: string) {
  const all = useQuery(tokenInventoryQuery(workspaceId, {}));
  return useMemo(() => {
    const byId = new Map<string, { id: string; name: string; email: string }>();
    for (const token of all.data ?? []) if (token.createdBy) byId.set(token.createdBy.id, token.createdBy);
    return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
  }, [all.data]);
}

function Filters({ workspaceId, filters }: { workspaceId: string; filters: InventorySearch }) {
  const navigate = useNavigate({ from: '/workspace/$workspaceId/token-inventory' });
  const creators = useCreators(workspaceId);
  const set = (changes: Record<string, unknown>) =>
    navigate({ search: (prev: InventorySearch) => inventorySearch({ ...prev, ...changes }), replace: true });
  return (
    <div className="mb-4 flex flex-wrap items-end gap-3">
      <div className="grid gap-1.5">
        <Label htmlFor="inventory-kind">Kind</Label>
        <Select id="inventory-kind" className="w-52" value={filters.kind ?? ''} onChange={(e) => set({ kind: e.target.value })}>
          <option value="">All kinds</option>
          {KINDS.map((kind) => (
            <option key={kind.value} value={kind.value}>
              {kind.label}
            </option>
          ))}
        </Select>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="inventory-status">Status</Label>
        <Select id="inventory-status" className="w-36" value={filters.status ?? ''} onChange={(e) => set({ status: e.target.value })}>
          <option value="">Any status</option>
          {STATUSES.map((status) => (
            <option key={status} value={status}>
              {status}
            </option>
          ))}
        </Select>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="inventory-created-by">Created by</Label>
        <Select
          id="inventory-created-by"
          className="w-52"
          value={filters.createdBy ?? ''}
          onChange={(e) => set({ createdBy: e.target.value })}
        >
          <option value="">Anyone</option>
          {creators.map((person) => (
            <option key={person.id} value={person.id}>
              {person.name} ({person.email})
            </option>
          ))}
        </Select>
      </div>
      <label className="flex h-9 items-center gap-2 text-sm">
        <input type="checkbox" checked={filters.stale === true} onChange={(e) => set({ stale: e.target.checked })} />
        Stale only
      </label>
      <label className="flex h-9 items-center gap-2 text-sm">
        <input type="checkbox" checked={filters.expiring === true} onChange={(e) => set({ expiring: e.target.checked })} />
        Expiring soon
      </label>
    </div>
  );
}

/**
 * `/workspace/:id/token-inventory`: for the workspace's owners and instance admins, every token that can reach it —
 * its access tokens, its agents' tokens and its members' personal tokens — masked, with filters, and revoking any.
 */
export function TokenInventoryPage() {
  const { workspaceId } = useParams({ from: ROUTE });
  const filters = useSearch({ from: ROUTE });
  const tokens = useQuery(tokenInventoryQuery(workspaceId, filters));
  const revoke = useRevokeFromInventory(workspaceId);
  const [target, setTarget] = useState<InventoryToken | null>(null);

  const columns = useMemo(
    () =>
      inventoryColumns((token) =>
        token.status === 'revoked' ? null : (
          <Button variant="outline" size="sm" aria-label={`Revoke ${token.name}`} onClick={() => setTarget(token)}>
            Revoke
          </Button>
        ),
      ),
    [],
  );
  const data = useMemo(() => tokens.data ?? [], [tokens.data]);
  const table = useTable({ features, columns, data, getRowId: (row) => `${row.kind}:${row.id}` });
  const filtered = Object.keys(filters).length > 0;

  return (
    <>
      <PageHeader
        title="Token inventory"
        description={
          "Every token that can reach this workspace: its access tokens, its agents' tokens, its members' personal tokens " +
          'and the tokens those delegated, masked. Revoke any of them.'
        }
      />
      <Filters workspaceId={workspaceId} filters={filters} />
      <ErrorMessage error={tokens.error} />
      {tokens.isPending ? (
        <p className="text-sm text-muted-foreground">Loading tokens…</p>
      ) : tokens.isError ? null : data.length === 0 ? (
        <div className="rounded-md border border-dashed p-8 text-center text-sm text-muted-foreground">
          {filtered ? 'No token matches these filters.' : 'No token can reach this workspace.'}
        </div>
      ) : (
        <Table aria-label="Tokens that can reach this workspace">
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
              <TableRow
                key={row.id}
                data-token-id={row.original.id}
                data-kind={row.original.kind}
                data-status={row.original.status}
                className={cn(row.original.status === 'expired' && 'bg-destructive/10 hover:bg-destructive/15')}
              >
                {row.getAllCells().map((cell) => (
                  <TableCell key={cell.id}>
                    <table.FlexRender cell={cell} />
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <ConfirmDialog
        open={target !== null}
        onOpenChange={(open) => {
          if (!open) {
            setTarget(null);
            revoke.reset();
          }
        }}
        title={`Revoke “${target?.name ?? ''}”?`}
        description={target ? REVOKE_EFFECT[target.kind] : ''}
        confirmLabel="Revoke token"
        pending={revoke.isPending}
        onConfirm={async () => {
          if (target) await revoke.mutateAsync({ kind: target.kind, id: target.id });
          setTarget(null);
        }}
      >
        <ErrorMessage error={revoke.error} />
      </ConfirmDialog>
    </>
  );
}
