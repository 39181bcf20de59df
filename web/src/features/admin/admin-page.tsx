import type { Workspace } from '@taskgate/client';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { PageHeader } from '../../components/page-header';
import { Button } from '../../components/ui/button';
import { Input, Select } from '../../components/ui/input';
import { Label } from '../../components/ui/label';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table';
import { taskgate } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { sessionQuery } from '../auth/session';
import { PLANS } from '../workspaces/settings-page';

/** A search box over a list: what it holds is sent as `q` (the server matches it). */
function SearchBox({ id, label, value, onChange }: { id: string; label: string; value: string; onChange: (q: string) => void }) {
  return (
    <div className="grid gap-1.5 sm:max-w-sm">
      <Label htmlFor={id}>{label}</Label>
      <Input id={id} type="search" value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

/** Every user of the instance (the first 100 matching the search), with block and unblock. */
function Users() {
  const queryClient = useQueryClient();
  const [q, setQ] = useState('');
  const users = useQuery({
    queryKey: ['admin', 'users', q],
    queryFn: async () => (await taskgate.admin.listUsers({ q: q.trim() || undefined, limit: 100 }).page()).items,
    placeholderData: keepPreviousData,
  });
  const act = useMutation({
    mutationFn: ({ id, block }: { id: string; block: boolean }) => (block ? taskgate.admin.blockUser(id) : taskgate.admin.unblockUser(id)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['admin', 'users'] }),
  });
  return (
    <section className="grid gap-3 rounded-lg border p-4" aria-labelledby="admin-users">
      <h2 id="admin-users" className="font-semibold">
        Users
      </h2>
      <SearchBox id="admin-user-search" label="Find users by email or name" value={q} onChange={setQ} />
      <Table aria-label="Users">
        <TableHeader>
          <TableRow>
            <TableHead>User</TableHead>
            <TableHead>Since</TableHead>
            <TableHead>Status</TableHead>
            <TableHead>
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {users.data?.map((u) => (
            <TableRow key={u.id} data-user-id={u.id}>
              <TableCell>
                {u.name}
                <span className="block text-xs text-muted-foreground">
                  {u.email}
                  {u.isAdmin ? ' · instance admin' : ''}
                </span>
              </TableCell>
              <TableCell className="whitespace-nowrap text-xs">{formatDateTime(u.createdAt)}</TableCell>
              <TableCell>{u.blocked ? 'Blocked' : 'Active'}</TableCell>
              <TableCell className="text-right">
                <Button
                  size="sm"
                  variant={u.blocked ? 'outline' : 'destructive'}
                  disabled={act.isPending}
                  onClick={() => act.mutate({ id: u.id, block: !u.blocked })}
                >
                  {u.blocked ? `Unblock ${u.email}` : `Block ${u.email}`}
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {users.data?.length === 0 && <p className="text-sm text-muted-foreground">No user matches.</p>}
      <ErrorMessage error={users.error ?? act.error} />
    </section>
  );
}

/** Every workspace of the instance (the first 100 matching the search), with its plan. */
function Workspaces() {
  const queryClient = useQueryClient();
  const [q, setQ] = useState('');
  const [changed, setChanged] = useState<string | null>(null);
  const workspaces = useQuery({
    queryKey: ['admin', 'workspaces', q],
    queryFn: async () => (await taskgate.admin.listWorkspaces({ q: q.trim() || undefined, limit: 100 }).page()).items,
    placeholderData: keepPreviousData,
  });
  const replan = useMutation({
    mutationFn: ({ id, plan }: { id: string; plan: Workspace['plan'] }) => taskgate.workspaces.update(id, { plan }),
    onSuccess: (w) => setChanged(`${w.name} is now on the ${w.plan} plan.`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['admin', 'workspaces'] }),
  });
  return (
    <section className="grid gap-3 rounded-lg border p-4" aria-labelledby="admin-workspaces">
      <h2 id="admin-workspaces" className="font-semibold">
        Workspaces
      </h2>
      <SearchBox id="admin-workspace-search" label="Find workspaces by name" value={q} onChange={setQ} />
      <Table aria-label="Workspaces">
        <TableHeader>
          <TableRow>
            <TableHead>Workspace</TableHead>
            <TableHead>Members</TableHead>
            <TableHead>Plan</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {workspaces.data?.map((w) => (
            <TableRow key={w.id} data-workspace-id={w.id}>
              <TableCell>
                {w.name}
                <span className="block font-mono text-xs text-muted-foreground">{w.id}</span>
                <Link to="/workspace/$workspaceId/token-inventory" params={{ workspaceId: w.id }} className="text-xs underline">
                  Tokens
                </Link>
              </TableCell>
              <TableCell>{w.memberCount}</TableCell>
              <TableCell>
                <Select
                  aria-label={`Plan of ${w.name}`}
                  className="w-56"
                  value={w.plan}
                  disabled={replan.isPending}
                  onChange={(e) => replan.mutate({ id: w.id, plan: e.target.value as Workspace['plan'] })}
                >
                  {PLANS.map((p) => (
                    <option key={p.value} value={p.value}>
                      {p.label}
                    </option>
                  ))}
                </Select>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {workspaces.data?.length === 0 && <p className="text-sm text-muted-foreground">No workspace matches.</p>}
      {changed && (
        <p role="status" className="text-sm text-success">
          {changed}
        </p>
      )}
      <ErrorMessage error={workspaces.error ?? replan.error} />
    </section>
  );
}

/** `/admin`: what an instance administrator does: users with block and unblock, workspaces with their plan. */
export function AdminPage() {
  const { data: session } = useQuery(sessionQuery);
  if (!session?.user?.isAdmin) {
    return <PageHeader title="Administration" description="Only instance administrators see this page." />;
  }
  return (
    <>
      <PageHeader title="Administration" description="Block and unblock users; set workspaces' plans." />
      <div className="grid gap-6">
        <Users />
        <Workspaces />
      </div>
    </>
  );
}
