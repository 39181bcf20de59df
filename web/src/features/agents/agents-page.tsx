import type { Agent } from '@taskgate/client';
import { useQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { ErrorMessage } from '../../components/error-message';
import { PageHeader } from '../../components/page-header';
import { GraceDialog } from '../../components/grace-dialog';
import { SecretDialog } from '../../components/secret-dialog';
import { ConfirmDialog } from '../../components/ui/alert-dialog';
import { Button } from '../../components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '../../components/ui/dialog';
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from '../../components/ui/dropdown-menu';
import { Input } from '../../components/ui/input';
import { Field } from '../../components/ui/label';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table';
import { taskgate } from '../../lib/api';
import { formatDateTime, relativeTime } from '../../lib/format';
import { callerRoleQuery } from '../../lib/queries';
import { agentsQuery, claimedTasksQuery, useAgentMutation } from './api';

const GRACE = [
  { seconds: 0, label: 'Stop the old token now' },
  { seconds: 3600, label: 'Keep the old token working for 1 hour' },
  { seconds: 86_400, label: 'Keep the old token working for 24 hours' },
];

type Action = { kind: 'register' } | { kind: 'reissue' | 'revoke' | 'delete'; agent: Agent } | null;

function RegisterAgentDialog({
  pending,
  error,
  onSubmit,
  onClose,
}: {
  pending: boolean;
  error: unknown;
  onSubmit: (v: { name: string; description: string }) => void;
  onClose: () => void;
}) {
  const form = useForm({ defaultValues: { name: '', description: '' } });
  const nameError = form.formState.errors.name?.message;
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent title="Register an agent" description="An automated worker that claims and completes tasks with its own token.">
        <form
          className="grid gap-4"
          noValidate
          onSubmit={form.handleSubmit((v) => onSubmit({ name: v.name.trim(), description: v.description.trim() }))}
        >
          <Field id="agent-name" label="Name" error={nameError}>
            <Input
              id="agent-name"
              aria-invalid={!!nameError}
              {...form.register('name', { validate: (v) => v.trim() !== '' || 'Give the agent a name' })}
            />
          </Field>
          <Field id="agent-description" label="Description" hint="Optional: what it does">
            <Input id="agent-description" {...form.register('description')} />
          </Field>
          <ErrorMessage error={error} />
          <DialogFooter>
            <Button variant="outline" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? 'Registering…' : 'Register agent'}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

export function AgentsPage() {
  const { workspaceId } = useParams({ from: '/signed-in/workspace/$workspaceId/agents' });
  const agents = useQuery(agentsQuery(workspaceId));
  const claims = useQuery(claimedTasksQuery(workspaceId));
  const role = useQuery(callerRoleQuery(workspaceId));
  const canManage = role.data === 'administrator' || role.data === 'owner';
  const [action, setAction] = useState<Action>(null);
  const [issued, setIssued] = useState<{ secret: string; note: string } | null>(null);
  const register = useAgentMutation(workspaceId, (body: { name: string; description: string }) =>
    taskgate.agents.register(workspaceId, body),
  );
  const reissue = useAgentMutation(workspaceId, (id: string, graceSeconds: number) => taskgate.agents.reissueToken(id, { graceSeconds }));
  const revoke = useAgentMutation(workspaceId, (id: string) => taskgate.agents.revokeToken(id));
  const remove = useAgentMutation(workspaceId, (id: string) => taskgate.agents.delete(id));
  const close = () => {
    setAction(null);
    for (const mutation of [register, reissue, revoke, remove]) mutation.reset();
  };
  const confirming = action?.kind === 'revoke' || action?.kind === 'delete' ? action : null;
  return (
    <>
      <PageHeader
        title="Agents"
        description="Automated workers with their own tokens: they list, claim, work and complete tasks, and the audit log names them."
        actions={canManage && <Button onClick={() => setAction({ kind: 'register' })}>Register agent</Button>}
      />
      <ErrorMessage error={agents.error} />
      {agents.isPending ? (
        <p className="text-sm text-muted-foreground">Loading agents…</p>
      ) : agents.data?.length === 0 ? (
        <div className="rounded-md border border-dashed p-8 text-center text-sm text-muted-foreground">
          No agents yet.{canManage && ' Register one and hand it its token.'}
        </div>
      ) : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead>Token</TableHead>
              <TableHead>Last activity</TableHead>
              <TableHead>Claimed tasks</TableHead>
              <TableHead>Registered</TableHead>
              {canManage && (
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              )}
            </TableRow>
          </TableHeader>
          <TableBody>
            {agents.data?.map((agent) => (
              <TableRow key={agent.id} data-agent-id={agent.id}>
                <TableCell>
                  <div className="font-medium">{agent.name}</div>
                  {agent.description && <div className="text-xs text-muted-foreground">{agent.description}</div>}
                </TableCell>
                <TableCell className="font-mono text-xs">
                  {agent.token ? `${agent.token.prefix}…` : <span className="font-sans text-muted-foreground">Revoked</span>}
                </TableCell>
                <TableCell className="whitespace-nowrap text-xs">
                  {agent.token?.lastUsedAt ? relativeTime(agent.token.lastUsedAt) : 'Never'}
                </TableCell>
                <TableCell className="text-xs">{claims.data?.get(agent.id) ?? 0}</TableCell>
                <TableCell className="whitespace-nowrap text-xs">{formatDateTime(agent.createdAt)}</TableCell>
                {canManage && (
                  <TableCell className="text-right">
                    <DropdownMenu>
                      <DropdownMenuTrigger asChild>
                        <Button variant="ghost" size="icon" aria-label={`Actions for ${agent.name}`}>
                          ⋯
                        </Button>
                      </DropdownMenuTrigger>
                      <DropdownMenuContent>
                        <DropdownMenuItem onSelect={() => setAction({ kind: 'reissue', agent })}>Issue a new token</DropdownMenuItem>
                        <DropdownMenuItem disabled={!agent.token} onSelect={() => setAction({ kind: 'revoke', agent })}>
                          Revoke its token
                        </DropdownMenuItem>
                        <DropdownMenuItem destructive onSelect={() => setAction({ kind: 'delete', agent })}>
                          Delete agent
                        </DropdownMenuItem>
                      </DropdownMenuContent>
                    </DropdownMenu>
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {action?.kind === 'register' && (
        <RegisterAgentDialog
          pending={register.isPending}
          error={register.error}
          onClose={close}
          onSubmit={async (body) => {
            const result = await register.mutateAsync([body]);
            close();
            setIssued({ secret: result.token, note: `Give it to ${result.agent.name} as TASKGATE_TOKEN.` });
          }}
        />
      )}
      {action?.kind === 'reissue' && (
        <GraceDialog
          title={`New token for “${action.agent.name}”`}
          description="Hand the agent its new token; the old one stops now or after a grace period."
          label="The old token"
          choices={GRACE}
          initialSeconds={3600}
          confirmLabel="Issue new token"
          pendingLabel="Issuing…"
          pending={reissue.isPending}
          error={reissue.error}
          onClose={close}
          onSubmit={async (grace) => {
            const result = await reissue.mutateAsync([action.agent.id, grace]);
            close();
            const until = result.previousTokenRevokedAt;
            setIssued({
              secret: result.token,
              note:
                until && Date.parse(until) > Date.now()
                  ? `The previous token works until ${formatDateTime(until)}.`
                  : 'The previous token no longer works.',
            });
          }}
        />
      )}
      <SecretDialog secret={issued?.secret ?? null} title="The agent's token" onClose={() => setIssued(null)}>
        <p className="text-sm text-muted-foreground">{issued?.note}</p>
      </SecretDialog>
      <ConfirmDialog
        open={confirming !== null}
        onOpenChange={(open) => !open && close()}
        title={
          confirming?.kind === 'delete' ? `Delete “${confirming.agent.name}”?` : `Revoke the token of “${confirming?.agent.name ?? ''}”?`
        }
        description={
          confirming?.kind === 'delete'
            ? 'The agent and its token go; tasks it worked on keep its name in their history.'
            : 'It stops working at once; issue a new one to let the agent back in.'
        }
        confirmLabel={confirming?.kind === 'delete' ? 'Delete agent' : 'Revoke token'}
        pending={revoke.isPending || remove.isPending}
        onConfirm={async () => {
          if (confirming?.kind === 'delete') await remove.mutateAsync([confirming.agent.id]);
          else if (confirming) await revoke.mutateAsync([confirming.agent.id]);
          close();
        }}
      >
        <ErrorMessage error={revoke.error ?? remove.error} />
      </ConfirmDialog>
    </>
  );
}
