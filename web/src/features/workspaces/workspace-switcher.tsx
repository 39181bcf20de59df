import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import type { WorkspacePage } from '../../app/shell';
import { Button } from '../../components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '../../components/ui/dropdown-menu';
import { workspacesQuery } from './api';
import { useCreateWorkspaceDialog } from './create-workspace-dialog';

/** Which workspace the pages show; switching keeps the same page in the other workspace. */
export function WorkspaceSwitcher({ currentId, page }: { currentId: string | null; page: WorkspacePage }) {
  const navigate = useNavigate();
  const { data: workspaces = [] } = useQuery(workspacesQuery);
  const create = useCreateWorkspaceDialog();
  const current = workspaces.find((w) => w.id === currentId);
  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="outline" size="sm" className="max-w-48 justify-between">
            <span className="truncate">
              <span className="sr-only">Workspace: </span>
              {current?.name ?? 'Choose a workspace'}
            </span>
            <span aria-hidden="true">▾</span>
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start">
          <DropdownMenuLabel>Workspaces</DropdownMenuLabel>
          {workspaces.map((workspace) => (
            <DropdownMenuItem
              key={workspace.id}
              onSelect={() => navigate({ to: `/workspace/$workspaceId${page}`, params: { workspaceId: workspace.id } })}
            >
              <span className="truncate">{workspace.name}</span>
              {workspace.id === currentId && <span className="ml-auto text-xs text-muted-foreground">current</span>}
            </DropdownMenuItem>
          ))}
          {workspaces.length > 0 && <DropdownMenuSeparator />}
          <DropdownMenuItem onSelect={() => create.setOpen(true)}>Create workspace…</DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      {create.dialog}
    </>
  );
}
