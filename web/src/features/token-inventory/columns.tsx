import type { InventoryToken } from '@taskgate/client';
import { tableFeatures, type ColumnDef } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import { Badge } from '../../components/ui/badge';
import { relativeTime } from '../../lib/format';
import { ExpiryBadge, StatusBadge } from '../tokens/token-badges';

export const features = tableFeatures({});

const KIND_LABELS: Record<InventoryToken['kind'], string> = {
  personal: 'Personal',
  workspace: 'Workspace',
  agent: 'Agent',
  delegated: 'Delegated',
};

function Person({ person }: { person: InventoryToken['owner'] }) {
  if (person === null) return <span className="text-muted-foreground">—</span>;
  return (
    <span className="block min-w-0">
      <span className="block truncate">{person.name}</span>
      <span className="block truncate text-xs text-muted-foreground">{person.email}</span>
    </span>
  );
}

/** A token's row: `renderActions` draws the Actions cell (it needs the page's confirm dialog). */
export function inventoryColumns(renderActions: (token: InventoryToken) => ReactNode): Array<ColumnDef<typeof features, InventoryToken>> {
  return [
    {
      id: 'name',
      accessorKey: 'name',
      header: 'Token',
      cell: ({ row }) => (
        <>
          <div className="font-medium">{row.original.name}</div>
          <span className="font-mono text-xs" data-testid="masked-token">
            {row.original.maskedToken}
          </span>
          {row.original.stale && (
            <Badge variant="warning" className="ml-2" title="Not used for the stale period: revoke it if nothing needs it">
              Stale
            </Badge>
          )}
        </>
      ),
    },
    {
      id: 'kind',
      accessorKey: 'kind',
      header: 'Kind',
      cell: ({ row }) => <Badge variant="secondary">{KIND_LABELS[row.original.kind]}</Badge>,
    },
    { id: 'owner', header: 'Owner', cell: ({ row }) => <Person person={row.original.owner} /> },
    { id: 'createdBy', header: 'Created by', cell: ({ row }) => <Person person={row.original.createdBy} /> },
    {
      id: 'status',
      accessorKey: 'status',
      header: 'Status',
      cell: ({ row }) => <StatusBadge status={row.original.status} />,
    },
    {
      id: 'expires',
      accessorKey: 'expiresAt',
      header: 'Expires',
      cell: ({ row }) => (
        <span className="whitespace-nowrap text-xs">
          {row.original.status === 'revoked' ? (
            <span className="text-muted-foreground">Revoked</span>
          ) : (
            <ExpiryBadge expiresAt={row.original.expiresAt} expiresInDays={row.original.expiresInDays} />
          )}
        </span>
      ),
    },
    {
      id: 'lastUsed',
      accessorKey: 'lastUsedAt',
      header: 'Last used',
      cell: ({ row }) => (
        <span className="whitespace-nowrap text-xs">{row.original.lastUsedAt ? relativeTime(row.original.lastUsedAt) : 'Never'}</span>
      ),
    },
    {
      id: 'actions',
      header: () => <span className="sr-only">Actions</span>,
      cell: ({ row }) => renderActions(row.original),
    },
  ];
}
