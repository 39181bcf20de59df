import type { ListedAgent } from '@taskgate/client';
import { useQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { Fragment, useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { PageHeader } from '../../components/page-header';
import { GraceDialog } from '../../components/grace-dialog';
import { SecretDialog } from '../../components/secret-dialog';
import { ConfirmDialog } from '../../components/ui/alert-dialog';
import { Button } from '../../components/ui/button';
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from '../../components/ui/dropdown-menu';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table';
import { taskgate } from '../../lib/api';
import { formatDateTime, relativeTime } from '../../lib/format';
import { callerRoleQuery } from '../../lib/queries';
import { agentLeakReport, LeakedNotice, workspaceLeakEventsQuery } from '../tokens/leak-reports';
import { ExpiryBadge, HygieneBadges } from '../tokens/token-badges';
import { DelegatedTokensRow } from '../tokens/delegated-tokens';
import { TokenDetailsDialog, TokenFacts } from '../tokens/token-details-dialog';
import { AgentDialog, type AgentRequest } from './agent-dialog';
import { agentsQuery, claimedTasksQuery, useAgentMutation } from './api';

const GRACE = [
  { seconds: 0, label: 'Stop the old token now' },
  { seconds: 3600, label: 'Keep the old token working for 1 hour' },
  { seconds: 86_400, label: 'Keep the old token working for 24 hours' },
];

type Action = { kind: 'register' } | { kind: 'details' | 'edit' | 'reissue' | 'revoke' | 'delete'; agent: ListedAgent } | null;

/** A notice for each agent whose token a leak report revoked (until it is issued a new one). */
function AgentLeakedNotices({ workspaceId, agents }: { workspaceId: string; agents: readonly ListedAgent[] }) {
  const events = useQuery(workspaceLeakEventsQuery(workspaceId));
  const leaked = agents.flatMap((agent) => {
    const report = agentLeakReport(events.data, agent.id, agent.token?.issuedAt ?? null);
    return report ? [{ agent, report }] : [];
  });
  if (leaked.length === 0) return null;
  return (
    <div className="mb-4 grid gap-2">
      {leaked.map(({ agent, report }) => (
        <LeakedNotice key={agent.id} subject={`The token of “${agent.name}”`} revokedAt={report.at} report={report} />
      ))}
    </div>
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
  const register = useAgentMutation(workspaceId, (body: AgentRequest) => taskgate.agents.register(workspaceId, body));
  const update = useAgentMutation(workspaceId, (id: string, body: AgentRequest) => taskgate.agents.update(id, body));
  const reissue = useAgentMutation(workspaceId, (id: string, graceSeconds: number) => taskgate.agents.reissueToken(id, { graceSeconds }));
  const revoke = useAgentMutation(workspaceId, (id: string) => taskgate.agents.revokeToken(id));
  const remove = useAgentMutation(workspaceId, (id: string) => taskgate.agents.delete(id));
  const close = () => {
    setAction(null);
    for (const mutation of [register, update, reissue, revoke, remove]) mutation.reset();
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
      <AgentLeakedNotices workspaceId={workspaceId} agents={agents.data ?? []} />
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
              <TableHead>Expires</TableHead>
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
              <Fragment key={agent.id}>
                <TableRow data-agent-id={agent.id}>
                  <TableCell>
                    <button
                      type="button"
                      className="text-left font-medium hover:underline"
                      title="Its permissions and usage"
                      onClick={() => setAction({ kind: 'details', agent })}
                    >
                      {agent.name}
                    </button>
                    {agent.description && <div className="text-xs text-muted-foreground">{agent.description}</div>}
                    <HygieneBadges stale={agent.token?.stale ?? false} allowedIps={agent.allowedIps} />
                  </TableCell>
                  <TableCell className="font-mono text-xs">
                    {agent.token ? `${agent.token.prefix}…` : <span className="font-sans text-muted-foreground">Revoked</span>}
                  </TableCell>
                  <TableCell className="whitespace-nowrap text-xs">
                    {agent.token && <ExpiryBadge expiresAt={agent.token.expiresAt} expiresInDays={agent.token.expiresInDays} />}
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
                          <DropdownMenuItem onSelect={() => setAction({ kind: 'details', agent })}>Permissions and usage</DropdownMenuItem>
                          <DropdownMenuItem onSelect={() => setAction({ kind: 'edit', agent })}>Edit</DropdownMenuItem>
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
                <DelegatedTokensRow
                  parentName={agent.name}
                  delegations={agent.delegations}
                  columns={canManage ? 7 : 6}
                  listKey={['agents', workspaceId]}
                  canRevoke={canManage}
                />
              </Fragment>
            ))}
          </TableBody>
        </Table>
      )}
      {action?.kind === 'details' && (
        <TokenDetailsDialog
          tokenRef={{ kind: 'agent', workspaceId, id: action.agent.id }}
          title={`“${action.agent.name}”`}
          canNarrow={false}
          onClose={close}
          summary={
            <TokenFacts
              prefix={action.agent.token?.prefix ?? null}
              expiresAt={action.agent.token?.expiresAt ?? null}
              expiresInDays={action.agent.token?.expiresInDays ?? null}
              lastUsedAt={action.agent.token?.lastUsedAt ?? null}
              allowedIps={action.agent.allowedIps}
            />
          }
        />
      )}
      {action?.kind === 'register' && (
        <AgentDialog
          agent={null}
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
      {action?.kind === 'edit' && (
        <AgentDialog
          agent={action.agent}
          pending={update.isPending}
          error={update.error}
          onClose={close}
          onSubmit={async (body) => {
            await update.mutateAsync([action.agent.id, body]);
            close();
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
