import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { taskgate } from '../../lib/api';

/** Who is signed in: answered without a failing request, so a signed-out visitor sees no error. */
export const sessionQuery = queryOptions({
  queryKey: ['session'],
  queryFn: () => taskgate.auth.session(),
  staleTime: 60_000,
});

export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: () => taskgate.auth.logout(),
    onSettled: async () => {
      // Signed out first, so the sign-in page stays; then nothing of the account is kept. Clearing
      // before leaving would make the open page refetch its data, and fail.
      queryClient.setQueryData(sessionQuery.queryKey, { user: null });
      await navigate({ to: '/login' });
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionQuery.queryKey[0] });
    },
  });
}
