import type { TokenNarrowing, TokenUsage } from '@taskgate/client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { Badge } from '../../components/ui/badge';
import { Button } from '../../components/ui/button';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table';
import { ROLE_LABELS } from '../../lib/roles';
import { projectChoicesQuery } from './api';
import { type TokenRef, tokenUsageQuery, useNarrowToken } from './token-details-api';

/** Project names by id, for every project you can see (an id stays an id otherwise). */
function useProjectNames(): (id: string) => string {
  const choices = useQuery(projectChoicesQuery);
  const names = new Map(choices.data?.flatMap((w) => w.projects.map((p) => [p.id, p.name] as const)));
  return (id) => names.get(id) ?? id;
}

const listed = (items: readonly string[]) => (items.length === 0 ? 'none' : items.join(', '));

/** What narrowing would remove (the dry run), applied on confirm. */
function NarrowPreview({
  preview,
  projectName,
  pending,
  onApply,
  onCancel,
}: {
  preview: TokenNarrowing;
  projectName: (id: string) => string;
  pending: boolean;
  onApply: () => void;
  onCancel: () => void;
}) {
  const removes = preview.removedPermissions.length + preview.removedProjectIds.length > 0;
  return (
    <div role="region" aria-label="Narrowing preview" className="grid gap-2 rounded-md border bg-muted/40 p-3 text-sm">
      {removes ? (
        <>
          <p className="font-medium">Narrowing keeps only what it used in these 30 days:</p>
          <ul className="grid gap-1">
            <li>
              Permissions removed: <span className="font-mono text-xs">{listed(preview.removedPermissions)}</span>
            </li>
            <li>Projects removed: {listed(preview.removedProjectIds.map(projectName))}</li>
            {preview.before.scope && preview.after.scope && preview.before.scope !== preview.after.scope && (
              <li>
                Scope: {ROLE_LABELS[preview.before.scope]} → {ROLE_LABELS[preview.after.scope]}
              </li>
            )}
            {preview.after.permissions && (
              <li>
                Permissions kept: <span className="font-mono text-xs">{listed(preview.after.permissions)}</span>
              </li>
            )}
          </ul>
          <div className="flex flex-wrap gap-2">
            <Button size="sm" disabled={pending} onClick={onApply}>
              {pending ? 'Narrowing…' : 'Apply'}
            </Button>
            <Button size="sm" variant="outline" onClick={onCancel}>
              Cancel
            </Button>
          </div>
        </>
      ) : (
        <p>It used everything it is granted: there is nothing to remove.</p>
      )}
    </div>
  );
}

/** "Used 3 of 5 permissions in the last 30 days", each with its count, and "Narrow to what it used". */
export function TokenUsageSection({ tokenRef, canNarrow }: { tokenRef: TokenRef; canNarrow: boolean }) {
  const usage = useQuery(tokenUsageQuery(tokenRef));
  const narrow = useNarrowToken(tokenRef);
  const [preview, setPreview] = useState<TokenNarrowing | null>(null);
  const [narrowed, setNarrowed] = useState<TokenNarrowing | null>(null);
  const projectName = useProjectNames();
  if (usage.error) return <ErrorMessage error={usage.error} />;
  if (!usage.data) return <p className="text-sm text-muted-foreground">Loading its usage…</p>;
  const { permissions, unusedPermissions, unusedProjectIds, projects, days, since }: TokenUsage = usage.data;
  const used = permissions.length - unusedPermissions.length;
  return (
    <div className="grid gap-3">
      <p className="text-sm" data-testid="usage-summary">
        In the last {days} days (since {since}) it used <strong>{used}</strong> of its {permissions.length} permissions
        {projects.length > 0 && `, in ${projects.length} project${projects.length === 1 ? '' : 's'}`}.
        {unusedProjectIds.length > 0 && ` Never used in: ${unusedProjectIds.map(projectName).join(', ')}.`}
      </p>
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Permission</TableHead>
            <TableHead>Uses</TableHead>
            <TableHead>Last used</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {permissions.map((p) => (
            <TableRow key={p.permission} data-permission={p.permission}>
              <TableCell className="font-mono text-xs">{p.permission}</TableCell>
              <TableCell className="text-xs">{p.uses}</TableCell>
              <TableCell className="text-xs">{p.lastUsedOn ?? <Badge variant="warning">Never used in {days} days</Badge>}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {narrowed && (
        <p role="status" className="text-sm">
          Narrowed: {narrowed.removedPermissions.length} permission{narrowed.removedPermissions.length === 1 ? '' : 's'} and{' '}
          {narrowed.removedProjectIds.length} project{narrowed.removedProjectIds.length === 1 ? '' : 's'} removed.
        </p>
      )}
      {used === 0 && <p className="text-sm font-medium">Never used in these {days} days: revoke it if nothing needs it.</p>}
      {canNarrow && !preview && used > 0 && (unusedPermissions.length > 0 || unusedProjectIds.length > 0) && (
        <div>
          <Button
            variant="outline"
            disabled={narrow.isPending}
            onClick={() => narrow.mutate({ dryRun: true }, { onSuccess: (result) => setPreview(result) })}
          >
            Narrow to what it used
          </Button>
        </div>
      )}
      {preview && (
        <NarrowPreview
          preview={preview}
          projectName={projectName}
          pending={narrow.isPending}
          onCancel={() => setPreview(null)}
          onApply={() =>
            narrow.mutate(
              { dryRun: false },
              {
                onSuccess: (result) => {
                  setPreview(null);
                  setNarrowed(result);
                },
              },
            )
          }
        />
      )}
      <ErrorMessage error={narrow.error} />
    </div>
  );
}
