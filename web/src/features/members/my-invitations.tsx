import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { ErrorMessage } from '../../components/error-message';
import { Button } from '../../components/ui/button';
import { ROLE_LABELS } from '../../lib/roles';
import { invitations } from './invitations-api';

/** Invitations addressed to you, answered where you are: accepting opens the workspace. */
export function MyInvitations() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const mine = useQuery({ queryKey: ['my-invitations'], queryFn: invitations.mine, staleTime: 60_000 });
  const answer = useMutation({
    mutationFn: ({ id, accept }: { id: string; accept: boolean }) => (accept ? invitations.accept(id) : invitations.decline(id)),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['my-invitations'] }),
        queryClient.invalidateQueries({ queryKey: ['workspaces'] }),
      ]),
  });
  const pending = (mine.data ?? []).filter((i) => i.status === 'pending');
  if (pending.length === 0) return null;
  return (
    <section aria-label="Your invitations" className="mx-auto mt-4 grid max-w-6xl gap-2 px-4">
      {pending.map((i) => (
        <div
          key={i.id}
          className="flex flex-wrap items-center gap-3 rounded-md border border-ring/40 bg-accent px-3 py-2 text-sm"
          data-invitation-id={i.id}
        >
          <span>
            You are invited to join <strong>{i.workspaceName}</strong> as {ROLE_LABELS[i.role]}.
          </span>
          <span className="ml-auto flex gap-2">
            <Button
              size="sm"
              disabled={answer.isPending}
              onClick={() =>
                answer.mutate(
                  { id: i.id, accept: true },
                  {
                    onSuccess: () => void navigate({ to: '/workspace/$workspaceId', params: { workspaceId: i.workspaceId } }),
                  },
                )
              }
            >
              Accept
            </Button>
            <Button size="sm" variant="outline" disabled={answer.isPending} onClick={() => answer.mutate({ id: i.id, accept: false })}>
              Decline
            </Button>
          </span>
        </div>
      ))}
      <ErrorMessage error={answer.error} />
    </section>
  );
}
