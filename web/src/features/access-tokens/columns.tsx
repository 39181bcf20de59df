import type { AccessToken } from '@taskgate/client';
import { columnVisibilityFeature, tableFeatures, type ColumnDef } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import { CopyButton } from '../../components/copy-button';
import { Badge } from '../../components/ui/badge';
import { formatDate, relativeTime } from '../../lib/format';
import { ROLE_LABELS } from './roles';

export const features = tableFeatures({ columnVisibilityFeature });

/** A token's row: `renderActions` draws the Actions cell (it needs the page's dialogs). */
export function accessTokenColumns(renderActions: (token: AccessToken) => ReactNode): Array<ColumnDef<typeof features, AccessToken>> {
  return [
    {
      id: 'label',
      accessorKey: 'label',
      header: 'Label',
      enableHiding: false,
      cell: ({ row }) => <span className="font-medium">{row.original.label}</span>,
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
        const { expiresAt, status } = row.original;
        if (expiresAt === null) return <span className="text-xs text-muted-foreground">Not specified</span>;
        return (
          <span
            className={status === 'expired' ? 'whitespace-nowrap text-xs font-medium text-destructive-text' : 'whitespace-nowrap text-xs'}
          >
            {formatDate(expiresAt)}
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
