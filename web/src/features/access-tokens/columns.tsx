import type { ListedAccessToken } from '@taskgate/client';
import { columnVisibilityFeature, tableFeatures, type ColumnDef } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import { CopyButton } from '../../components/copy-button';
import { Badge } from '../../components/ui/badge';
import { formatDate, relativeTime } from '../../lib/format';
import { ExpiryBadge, HygieneBadges } from '../tokens/token-badges';
import { ROLE_LABELS } from './roles';

export const features = tableFeatures({ columnVisibilityFeature });

/** A token's row: `renderActions` draws the Actions cell (it needs the page's dialogs); its label opens its details. */
export function accessTokenColumns(
  renderActions: (token: ListedAccessToken) => ReactNode,
  openDetails: (token: ListedAccessToken) => void,
): Array<ColumnDef<typeof features, ListedAccessToken>> {
  return [
    {
      id: 'label',
      accessorKey: 'label',
      header: 'Label',
      enableHiding: false,
      cell: ({ row }) => (
        <>
          <button
            type="button"
            className="text-left font-medium hover:underline"
            title="Its permissions and usage"
            onClick={() => openDetails(row.original)}
          >
            {row.original.label}
          </button>
          <HygieneBadges {...row.original} />
        </>
      ),
    },
    {
      id: 'token',
      header: 'Token',
      cell: ({ row }) => (
        <span className="flex items-center gap-2">
          <span className="font-mono text-xs" data-testid="masked-token">
            {row.original.prefix}…
          </span>
          {row.original.status === 'active' && <CopyButton text={row.original.prefix} label={`Copy the id of ${row.original.label}`} />}
        </span>
      ),
    },
    {
      id: 'scope',
      accessorKey: 'scope',
      header: 'Scope',
      cell: ({ row }) => <Badge variant="secondary">{ROLE_LABELS[row.original.scope]}</Badge>,
    },
    {
      id: 'created',
      accessorKey: 'createdAt',
      header: 'Created',
      cell: ({ row }) => <span className="whitespace-nowrap text-xs">{formatDate(row.original.createdAt)}</span>,
    },
    {
      id: 'expires',
      accessorKey: 'expiresAt',
      header: 'Expires',
      cell: ({ row }) => {
        const { expiresAt, expiresInDays, status } = row.original;
        return (
          <span className="whitespace-nowrap text-xs">
            {status === 'revoked' && expiresAt ? (
              formatDate(expiresAt)
            ) : (
              <ExpiryBadge expiresAt={expiresAt} expiresInDays={expiresInDays} />
            )}
          </span>
        );
      },
    },
    {
      id: 'status',
      accessorKey: 'status',
      header: 'Status',
      cell: ({ row }) => (
        <Badge variant={row.original.status === 'active' ? 'success' : row.original.status === 'expired' ? 'destructive' : 'secondary'}>
          {row.original.status}
        </Badge>
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
      enableHiding: false,
      cell: ({ row }) => renderActions(row.original),
    },
  ];
}

/** Column names for the "Columns" menu. */
export const COLUMN_LABELS: Record<string, string> = {
  token: 'Token',
  scope: 'Scope',
  created: 'Created',
  expires: 'Expires',
  status: 'Status',
  lastUsed: 'Last used',
};
