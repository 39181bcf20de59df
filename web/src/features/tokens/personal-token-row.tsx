import type { ListedToken } from '@taskgate/client';
import { Link } from '@tanstack/react-router';
import { Button } from '../../components/ui/button';
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from '../../components/ui/dropdown-menu';
import { TableCell, TableRow } from '../../components/ui/table';
import { Tooltip } from '../../components/ui/tooltip';
import { formatDate, relativeTime } from '../../lib/format';
import { DelegatedTokensRow } from './delegated-tokens';
import { ExpiryBadge, HygieneBadges, permissionSummary, StatusBadge } from './token-badges';

export type PersonalTokenAction = 'details' | 'edit' | 'rotate' | 'revoke';

/** A personal token's row (its name opens its details), with the tokens delegated below it under it. */
export function PersonalTokenRow({ token, onAction }: { token: ListedToken; onAction: (action: PersonalTokenAction) => void }) {
  return (
    <>
      <TableRow data-token-id={token.id} data-status={token.status}>
        <TableCell>
          <button
            type="button"
            className="text-left font-medium hover:underline"
            title="Its permissions and usage"
            onClick={() => onAction('details')}
          >
            {token.name}
          </button>
          <HygieneBadges {...token} />
        </TableCell>
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
          {token.status === 'revoked' ? (
            formatDate(token.expiresAt)
          ) : (
            <ExpiryBadge expiresAt={token.expiresAt} expiresInDays={token.expiresInDays} />
          )}
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
              <DropdownMenuItem onSelect={() => onAction('details')}>Permissions and usage</DropdownMenuItem>
              <DropdownMenuItem disabled={token.status !== 'active'} onSelect={() => onAction('edit')}>
                Edit
              </DropdownMenuItem>
              <DropdownMenuItem disabled={token.status !== 'active'} onSelect={() => onAction('rotate')}>
                Rotate secret
              </DropdownMenuItem>
              <DropdownMenuItem asChild>
                <Link to="/settings/audit-log" search={{ target: token.id }}>
                  Audit log
                </Link>
              </DropdownMenuItem>
              <DropdownMenuItem destructive disabled={token.status === 'revoked'} onSelect={() => onAction('revoke')}>
                Revoke
              </DropdownMenuItem>
            </DropdownMenuContent>
          </DropdownMenu>
        </TableCell>
      </TableRow>
      <DelegatedTokensRow parentName={token.name} delegations={token.delegations} columns={9} listKey={['tokens']} canRevoke />
    </>
  );
}
