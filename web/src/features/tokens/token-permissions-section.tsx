import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { Select } from '../../components/ui/input';
import { Field } from '../../components/ui/label';
import { projectsQuery } from '../projects/api';
import { workspacesQuery } from '../workspaces/api';
import { PermissionsExplanation } from './permissions-explanation';
import { type TokenRef, tokenPermissionsQuery } from './token-details-api';

/** The explanation in one workspace and, optionally, one project of it. */
function ExplainedIn({ tokenRef, workspaceId }: { tokenRef: TokenRef; workspaceId: string }) {
  const [projectId, setProjectId] = useState('');
  const projects = useQuery(projectsQuery(workspaceId));
  const explanation = useQuery(tokenPermissionsQuery(tokenRef, { workspaceId, ...(projectId ? { projectId } : {}) }));
  return (
    <div className="grid gap-3">
      <Field id="explain-project" label="In project">
        <Select id="explain-project" value={projectId} onChange={(e) => setProjectId(e.target.value)}>
          <option value="">Workspace-wide</option>
          {projects.data?.map((project) => (
            <option key={project.id} value={project.id}>
              {project.name}
            </option>
          ))}
        </Select>
      </Field>
      <ErrorMessage error={explanation.error} />
      {explanation.data ? (
        <PermissionsExplanation explanation={explanation.data} />
      ) : (
        !explanation.error && <p className="text-sm text-muted-foreground">Loading its permissions…</p>
      )}
    </div>
  );
}

/** A personal token acts in each of your workspaces: its permissions are explained in the one chosen. */
function PersonalTokenPermissions({ tokenRef }: { tokenRef: TokenRef }) {
  const workspaces = useQuery(workspacesQuery);
  const [chosen, setChosen] = useState<string | null>(null);
  const workspaceId = chosen ?? workspaces.data?.[0]?.id ?? null;
  if (workspaces.data?.length === 0)
    return <p className="text-sm text-muted-foreground">You belong to no workspace: it can do nothing yet.</p>;
  return (
    <div className="grid gap-3">
      <Field id="explain-workspace" label="In workspace">
        <Select id="explain-workspace" value={workspaceId ?? ''} onChange={(e) => setChosen(e.target.value)}>
          {workspaces.data?.map((workspace) => (
            <option key={workspace.id} value={workspace.id}>
              {workspace.name}
            </option>
          ))}
        </Select>
      </Field>
      {workspaceId && <ExplainedIn key={workspaceId} tokenRef={tokenRef} workspaceId={workspaceId} />}
    </div>
  );
}

/** What the token may do, layer by layer: in a workspace of yours (a personal token) or its own workspace. */
export function TokenPermissionsSection({ tokenRef }: { tokenRef: TokenRef }) {
  if (tokenRef.kind === 'personal') return <PersonalTokenPermissions tokenRef={tokenRef} />;
  return <ExplainedIn tokenRef={tokenRef} workspaceId={tokenRef.workspaceId} />;
}
