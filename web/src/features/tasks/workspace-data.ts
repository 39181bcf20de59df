import { useQuery } from '@tanstack/react-query';
import { callerRoleQuery } from '../../lib/queries';
import { usePeople } from '../../lib/people';
import { atLeast } from '../../lib/roles';
import { labelsQuery, statusesQuery } from './api';

/** What the task views of a workspace share: its statuses, labels, people, and what the caller may do. */
export function useWorkspaceData(workspaceId: string) {
  const statuses = useQuery(statusesQuery(workspaceId));
  const labels = useQuery(labelsQuery(workspaceId));
  const role = useQuery(callerRoleQuery(workspaceId));
  const people = usePeople(workspaceId);
  return {
    workspaceId,
    statuses: statuses.data ?? [],
    labels: labels.data ?? [],
    ...people,
    error: statuses.error ?? labels.error,
    can: {
      create: atLeast(role.data, 'team_member'),
      edit: atLeast(role.data, 'team_member'),
      remove: atLeast(role.data, 'workspace_manager'),
    },
  };
}
export type WorkspaceData = ReturnType<typeof useWorkspaceData>;
