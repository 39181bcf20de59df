import { taskgate } from '../../lib/api';

/** The invitation calls the members pages make, in the shapes they use. */
export const invitations = {
  create: taskgate.invitations.create.bind(taskgate.invitations),
  list: (workspaceId: string) => taskgate.invitations.list(workspaceId, { limit: 100 }).all(),
  revoke: taskgate.invitations.revoke.bind(taskgate.invitations),
  mine: () => taskgate.invitations.listMine().all(),
  accept: async (id: string): Promise<void> => void (await taskgate.invitations.accept(id)),
  decline: (id: string) => taskgate.invitations.decline(id),
};
