import { Taskgate, TaskgateError } from '@taskgate/client';
import { QueryClient } from '@tanstack/react-query';

/**
 * The one client of the API. The UI runs on the session cookie alone (same origin): it never holds
 * an API token, so a token shown once after creation is never kept anywhere.
 */
export const taskgate = new Taskgate({ retry: { maxRetries: 1 } });

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      // 4xx answers will not change on a retry; a signed-out session is handled by the router.
      retry: (count, error) => count < 2 && !(error instanceof Error && 'status' in error && Number(error.status) < 500),
      refetchOnWindowFocus: false,
    },
  },
});

/**
 * The body of a call made through `taskgate.api` (the typed routes the client has no method for yet), or the
 * TaskgateError its answer stands for, as the client's own methods throw.
 */
export async function answerOf<D>(pending: Promise<{ data?: D; error?: unknown; response: Response }>): Promise<D> {
  const { data, error, response } = await pending;
  if (!response.ok) throw new TaskgateError(response, error);
  return data as D;
}
