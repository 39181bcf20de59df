import type { Workspace } from '@taskgate/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { PageHeader } from '../../components/page-header';
import { Button } from '../../components/ui/button';
import { Input, Select } from '../../components/ui/input';
import { Field } from '../../components/ui/label';
import { taskgate } from '../../lib/api';
import { workspaceQuery } from '../../lib/queries';
import { atLeast } from '../../lib/roles';
import { sessionQuery } from '../auth/session';
import { StatusEditor } from './status-editor';

export const PLANS: ReadonlyArray<{ value: Workspace['plan']; label: string }> = [
  { value: 'free', label: 'Free — no API tokens or agents' },
  { value: 'pro', label: 'Pro' },
  { value: 'team', label: 'Team' },
];

/** Renames a workspace or (an instance admin) sets its plan; the workspace lists follow. */
export function useUpdateWorkspace(workspaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: { name?: string; plan?: Workspace['plan'] }) => taskgate.workspaces.update(workspaceId, changes),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['workspaces'] }),
  });
}

function Section({ title, description, children }: { title: string; description: string; children: React.ReactNode }) {
  return (
    <section className="grid gap-3 rounded-lg border p-4" aria-labelledby={`section-${title}`}>
      <div>
        <h2 id={`section-${title}`} className="font-semibold">
          {title}
        </h2>
        <p className="text-sm text-muted-foreground">{description}</p>
      </div>
      {children}
    </section>
  );
}

/** The workspace's name, from the name it has (a new one from the server starts the form afresh). */
function RenameForm({ workspace, canWrite }: { workspace: Workspace; canWrite: boolean }) {
  const rename = useUpdateWorkspace(workspace.id);
  const [name, setName] = useState(workspace.name);
  return (
    <>
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) rename.mutate({ name: name.trim() });
        }}
      >
        <div className="min-w-0 flex-1 sm:max-w-sm">
          <Field id="workspace-name" label="Workspace name">
            <Input id="workspace-name" value={name} maxLength={100} disabled={!canWrite} onChange={(e) => setName(e.target.value)} />
          </Field>
        </div>
        {canWrite && (
          <Button type="submit" disabled={rename.isPending || !name.trim() || name.trim() === workspace.name}>
            Rename
          </Button>
        )}
      </form>
      {rename.isSuccess && (
        <p role="status" className="text-sm text-success">
          Renamed.
        </p>
      )}
      <ErrorMessage error={rename.error} />
    </>
  );
}

/** `/workspace/:id/settings`: its name, its plan, and the statuses its tasks move through. */
export function WorkspaceSettingsPage() {
  const { workspaceId } = useParams({ from: '/signed-in/workspace/$workspaceId/settings' });
  const { data: session } = useQuery(sessionQuery);
  const workspace = useQuery(workspaceQuery(workspaceId));
  const canWrite = atLeast(workspace.data?.role, 'administrator');
  const isAdmin = session?.user?.isAdmin ?? false;
  const replan = useUpdateWorkspace(workspaceId);

  return (
    <>
      <PageHeader title="Workspace settings" description={workspace.data ? `Settings of ${workspace.data.name}.` : undefined} />
      <ErrorMessage error={workspace.error} />
      <div className="grid gap-6">
        <Section title="Name" description="Shown to every member.">
          {workspace.data && <RenameForm key={workspace.data.id} workspace={workspace.data} canWrite={canWrite} />}
        </Section>
        <Section
          title="Plan"
          description="API tokens and agents work on the Pro and Team plans. Only an instance administrator changes a plan."
        >
          <div className="sm:max-w-sm">
            <Field id="workspace-plan" label="Plan">
              <Select
                id="workspace-plan"
                value={workspace.data?.plan ?? ''}
                disabled={!isAdmin || replan.isPending}
                onChange={(e) => replan.mutate({ plan: e.target.value as Workspace['plan'] })}
              >
                {PLANS.map((p) => (
                  <option key={p.value} value={p.value}>
                    {p.label}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
          {replan.isSuccess && (
            <p role="status" className="text-sm text-success">
              Plan changed.
            </p>
          )}
          <ErrorMessage error={replan.error} />
        </Section>
        <Section title="Task statuses" description="The columns of every project's board, in order.">
          <StatusEditor workspaceId={workspaceId} canEdit={canWrite} />
        </Section>
        {(workspace.data?.role === 'owner' || isAdmin) && (
          <Section
            title="Token inventory"
            description="Every token that can reach this workspace, members' personal tokens included (masked); revoke any of them."
          >
            <Link to="/workspace/$workspaceId/token-inventory" params={{ workspaceId }} className="text-sm underline">
              Open the token inventory
            </Link>
          </Section>
        )}
      </div>
    </>
  );
}
