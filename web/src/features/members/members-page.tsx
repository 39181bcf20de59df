import type { Member } from '@taskgate/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { ErrorMessage } from '../../components/error-message';
import { PageHeader } from '../../components/page-header';
import { ConfirmDialog } from '../../components/ui/alert-dialog';
import { Button } from '../../components/ui/button';
import { Input, Select } from '../../components/ui/input';
import { Field } from '../../components/ui/label';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table';
import { taskgate } from '../../lib/api';
import { formatDate, relativeTime } from '../../lib/format';
import { membersQuery } from '../../lib/people';
import { callerRoleQuery } from '../../lib/queries';
import { atLeast, ROLE_LABELS, roleRank, ROLES, type Role } from '../../lib/roles';
import { sessionQuery } from '../auth/session';
import { invitations } from './invitations-api';
import { RoleTable } from './role-table';

function useMembersMutation<Args extends unknown[], Result>(workspaceId: string, call: (...args: Args) => Promise<Result>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (args: Args) => call(...args),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['members', workspaceId] }),
        queryClient.invalidateQueries({ queryKey: ['invitations', workspaceId] }),
        queryClient.invalidateQueries({ queryKey: ['workspaces'] }),
      ]),
  });
}

function InviteForm({ workspaceId, roles }: { workspaceId: string; roles: Role[] }) {
  const form = useForm<{ email: string; role: Role }>({ defaultValues: { email: '', role: 'team_member' } });
  const invite = useMembersMutation(workspaceId, (email: string, role: Role) => invitations.create(workspaceId, { email, role }));
  const [sent, setSent] = useState<string | null>(null);
  const emailError = form.formState.errors.email?.message;
  return (
    <form
      className="grid items-end gap-3 sm:grid-cols-[minmax(0,1fr)_12rem_auto]"
      noValidate
      aria-label="Invite a member"
      onSubmit={form.handleSubmit(async ({ email, role }) => {
        try {
          await invite.mutateAsync([email.trim(), role]);
          setSent(email.trim());
          form.reset({ email: '', role });
        } catch {
          // Shown below.
        }
      })}
    >
      <Field id="invite-email" label="Email" error={emailError}>
        <Input
          id="invite-email"
          type="email"
          autoComplete="off"
          aria-invalid={!!emailError}
          {...form.register('email', {
            validate: (v) => /^[^\s@]+@[^\s@]+$/.test(v.trim()) || 'An email address is needed',
          })}
        />
      </Field>
      <Field id="invite-role" label="Role">
        <Select id="invite-role" {...form.register('role')}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </Select>
      </Field>
      <Button type="submit" disabled={invite.isPending}>
        {invite.isPending ? 'Inviting…' : 'Invite'}
      </Button>
      <div className="sm:col-span-3">
        <ErrorMessage error={invite.error} />
        {sent && !invite.error && (
          <p role="status" className="text-sm text-success">
            Invitation sent to {sent}: they join once they accept it.
          </p>
        )}
      </div>
    </form>
  );
}

function PendingInvitations({ workspaceId }: { workspaceId: string }) {
  const pending = useQuery({ queryKey: ['invitations', workspaceId], queryFn: () => invitations.list(workspaceId) });
  const revoke = useMembersMutation(workspaceId, (id: string) => invitations.revoke(workspaceId, id));
  const open = (pending.data ?? []).filter((i) => i.status === 'pending');
  if (open.length === 0) return <ErrorMessage error={pending.error} />;
  return (
    <section aria-labelledby="pending-heading" className="grid gap-2">
      <h2 id="pending-heading" className="text-sm font-semibold">
        Pending invitations
      </h2>
      <ErrorMessage error={revoke.error} />
      <ul className="grid divide-y rounded-md border">
        {open.map((i) => (
          <li key={i.id} className="flex flex-wrap items-center gap-3 px-3 py-2 text-sm" data-invitation-id={i.id}>
            <span className="font-medium">{i.email}</span>
            <span className="text-xs text-muted-foreground">
              {ROLE_LABELS[i.role]} · expires {relativeTime(i.expiresAt)}
            </span>
            <Button size="sm" variant="outline" className="ml-auto" disabled={revoke.isPending} onClick={() => revoke.mutate([i.id])}>
              Withdraw
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** `/workspace/:id/members`: who belongs, with which role; inviting, changing roles, removing. */
export function MembersPage() {
  const { workspaceId } = useParams({ from: '/signed-in/workspace/$workspaceId/members' });
  const navigate = useNavigate();
  const { data: session } = useQuery(sessionQuery);
  const members = useQuery(membersQuery(workspaceId));
  const role = useQuery(callerRoleQuery(workspaceId));
  const myRole = role.data ?? null;
  const canManage = atLeast(myRole, 'workspace_manager');
  // Never above your own role.
  const grantable = myRole ? ROLES.filter((r) => roleRank(r) <= roleRank(myRole)) : [];
  const owners = (members.data ?? []).filter((m) => m.role === 'owner').length;
  const [removing, setRemoving] = useState<Member | null>(null);
  const changeRole = useMembersMutation(workspaceId, (userId: string, newRole: Role) =>
    taskgate.members.update(workspaceId, userId, { role: newRole }),
  );
  const remove = useMembersMutation(workspaceId, (userId: string) => taskgate.members.remove(workspaceId, userId));

  const lastOwner = (m: Member) => m.role === 'owner' && owners === 1;
  // A member above you is out of your reach, as the server decides too.
  const editable = (m: Member) => canManage && !lastOwner(m) && myRole !== null && roleRank(m.role) <= roleRank(myRole);

  return (
    <>
      <PageHeader
        title="Members"
        description="Who belongs to this workspace and what their role lets them do. Roles are never granted above your own."
      />
      {canManage && (
        <div className="mb-6 grid gap-4 rounded-lg border p-4">
          <InviteForm workspaceId={workspaceId} roles={grantable} />
          <PendingInvitations workspaceId={workspaceId} />
        </div>
      )}
      <ErrorMessage error={members.error ?? changeRole.error} />
      {members.isPending ? (
        <p className="text-sm text-muted-foreground">Loading members…</p>
      ) : (
        <Table aria-label="Members">
          <TableHeader>
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead>Email</TableHead>
              <TableHead>Role</TableHead>
              <TableHead>Joined</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {members.data?.map((m) => {
              const self = m.userId === session?.user?.id;
              return (
                <TableRow key={m.userId} data-user-id={m.userId}>
                  <TableCell className="font-medium">
                    {m.name}
                    {self && <span className="ml-1 text-xs text-muted-foreground">(you)</span>}
                  </TableCell>
                  <TableCell className="text-xs">{m.email}</TableCell>
                  <TableCell>
                    {editable(m) ? (
                      <Select
                        aria-label={`Role of ${m.name}`}
                        className="w-48"
                        value={m.role}
                        disabled={changeRole.isPending}
                        onChange={(e) => changeRole.mutate([m.userId, e.target.value as Role])}
                      >
                        {grantable.map((r) => (
                          <option key={r} value={r}>
                            {ROLE_LABELS[r]}
                          </option>
                        ))}
                      </Select>
                    ) : (
                      <span className="text-sm">
                        {ROLE_LABELS[m.role]}
                        {lastOwner(m) && (
                          <span className="block text-xs text-muted-foreground">The last Owner: make someone else Owner first.</span>
                        )}
                      </span>
                    )}
                  </TableCell>
                  <TableCell className="whitespace-nowrap text-xs">{formatDate(m.joinedAt)}</TableCell>
                  <TableCell className="text-right">
                    {(self ? !lastOwner(m) : editable(m)) && (
                      <Button size="sm" variant="outline" className="text-destructive-text" onClick={() => setRemoving(m)}>
                        {self ? 'Leave' : 'Remove'}
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      <section aria-labelledby="roles-heading" className="mt-8 grid gap-2">
        <h2 id="roles-heading" className="text-lg font-semibold">
          What each role may do
        </h2>
        <RoleTable />
      </section>
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => {
          if (!open) {
            setRemoving(null);
            remove.reset();
          }
        }}
        title={removing?.userId === session?.user?.id ? 'Leave this workspace?' : `Remove ${removing?.name ?? ''}?`}
        description="Their access ends at once, including the tokens they use here."
        confirmLabel={removing?.userId === session?.user?.id ? 'Leave' : 'Remove member'}
        pending={remove.isPending}
        onConfirm={() =>
          removing &&
          remove.mutate([removing.userId], {
            onSuccess: () => {
              const left = removing.userId === session?.user?.id;
              setRemoving(null);
              if (left) void navigate({ to: '/' });
            },
          })
        }
      >
        <ErrorMessage error={remove.error} />
      </ConfirmDialog>
    </>
  );
}
