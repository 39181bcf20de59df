import type { User, Workspace } from '@taskgate/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { PageHeader } from '../../components/page-header';
import { Button } from '../../components/ui/button';
import { Input, Select } from '../../components/ui/input';
import { Field } from '../../components/ui/label';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table';
import { taskgate } from '../../lib/api';
import { sessionQuery } from '../auth/session';
import { workspacesQuery } from '../workspaces/api';
import { PLANS } from '../workspaces/settings-page';

const ID = /^[A-Za-z0-9_]{1,64}$/;

/** Blocks or unblocks one user, by id: a blocked user cannot sign in, and their tokens stop. */
function BlockUser() {
  const [userId, setUserId] = useState('');
  const [result, setResult] = useState<User | null>(null);
  const act = useMutation({
    mutationFn: ({ id, block }: { id: string; block: boolean }) => (block ? taskgate.admin.blockUser(id) : taskgate.admin.unblockUser(id)),
    onSuccess: (answer) => setResult(answer.user),
  });
  const valid = ID.test(userId.trim());
  return (
    <section className="grid gap-3 rounded-lg border p-4" aria-labelledby="admin-users">
      <h2 id="admin-users" className="font-semibold">Users</h2>
      <div className="flex flex-wrap items-end gap-2">
        <div className="min-w-0 flex-1 sm:max-w-sm">
          <Field id="admin-user-id" label="User id" hint="As shown in the audit log and the API (usr_…)">
            <Input id="admin-user-id" value={userId} onChange={(e) => setUserId(e.target.value)} className="font-mono" />
          </Field>
        </div>
        <Button variant="destructive" disabled={!valid || act.isPending} onClick={() => act.mutate({ id: userId.trim(), block: true })}>Block</Button>
        <Button variant="outline" disabled={!valid || act.isPending} onClick={() => act.mutate({ id: userId.trim(), block: false })}>Unblock</Button>
      </div>
      {result && <p role="status" className="text-sm">{result.name} ({result.email}) is {result.blocked ? 'blocked' : 'not blocked'}.</p>}
      <ErrorMessage error={act.error} />
    </section>
  );
}

/** Sets workspaces' plans: those you belong to are listed; any other by its id. */
function Plans() {
  const queryClient = useQueryClient();
  const workspaces = useQuery(workspacesQuery);
  const [otherId, setOtherId] = useState('');
  const [otherPlan, setOtherPlan] = useState<Workspace['plan']>('pro');
  const [changed, setChanged] = useState<string | null>(null);
  const replan = useMutation({
    mutationFn: ({ id, plan }: { id: string; plan: Workspace['plan'] }) => taskgate.workspaces.update(id, { plan }),
    onSuccess: (w) => setChanged(`${w.name} is now on the ${w.plan} plan.`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['workspaces'] }),
  });
  return (
    <section className="grid gap-3 rounded-lg border p-4" aria-labelledby="admin-plans">
      <h2 id="admin-plans" className="font-semibold">Workspace plans</h2>
      {(workspaces.data?.length ?? 0) > 0 && (
        <Table aria-label="Your workspaces">
          <TableHeader><TableRow><TableHead>Workspace</TableHead><TableHead>Plan</TableHead></TableRow></TableHeader>
          <TableBody>
            {workspaces.data?.map((w) => (
              <TableRow key={w.id} data-workspace-id={w.id}>
                <TableCell>{w.name}<span className="block font-mono text-xs text-muted-foreground">{w.id}</span></TableCell>
                <TableCell>
                  <Select aria-label={`Plan of ${w.name}`} className="w-56" value={w.plan} disabled={replan.isPending} onChange={(e) => replan.mutate({ id: w.id, plan: e.target.value as Workspace['plan'] })}>
                    {PLANS.map((p) => <option key={p.value} value={p.value}>{p.label}</option>)}
                  </Select>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <div className="flex flex-wrap items-end gap-2">
        <div className="min-w-0 flex-1 sm:max-w-xs">
          <Field id="admin-workspace-id" label="Another workspace's id">
            <Input id="admin-workspace-id" value={otherId} onChange={(e) => setOtherId(e.target.value)} className="font-mono" />
          </Field>
        </div>
        <div className="w-40">
          <Field id="admin-workspace-plan" label="Plan">
            <Select id="admin-workspace-plan" value={otherPlan} onChange={(e) => setOtherPlan(e.target.value as Workspace['plan'])}>
              {PLANS.map((p) => <option key={p.value} value={p.value}>{p.value}</option>)}
            </Select>
          </Field>
        </div>
        <Button disabled={!ID.test(otherId.trim()) || replan.isPending} onClick={() => replan.mutate({ id: otherId.trim(), plan: otherPlan })}>Set plan</Button>
      </div>
      {changed && <p role="status" className="text-sm text-success">{changed}</p>}
      <ErrorMessage error={replan.error ?? workspaces.error} />
    </section>
  );
}

/** `/admin`: what an instance administrator does. The API lists neither all users nor all workspaces yet, so both go by id. */
export function AdminPage() {
  const { data: session } = useQuery(sessionQuery);
  if (!session?.user?.isAdmin) {
    return <PageHeader title="Administration" description="Only instance administrators see this page." />;
  }
  return (
    <>
      <PageHeader title="Administration" description="Block and unblock users; set workspaces' plans." />
      <div className="grid gap-6">
        <BlockUser />
        <Plans />
      </div>
    </>
  );
}
