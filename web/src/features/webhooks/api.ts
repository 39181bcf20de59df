import type { Delivery } from '@taskgate/client';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { taskgate } from '../../lib/api';

export const webhooksQuery = (workspaceId: string) =>
  queryOptions({ queryKey: ['webhooks', workspaceId], queryFn: () => taskgate.webhooks.list(workspaceId, { limit: 200 }).all() });

const stillSending = (deliveries: Delivery[] | undefined) =>
  deliveries?.some((d) => d.status === 'pending' && d.nextAttemptAt !== null) ?? false;

/** An endpoint's latest deliveries; followed every 2 s while one is still being sent. */
export const deliveriesQuery = (webhookId: string) =>
  queryOptions({
    queryKey: ['webhooks', 'deliveries', webhookId],
    queryFn: async () => (await taskgate.deliveries.list(webhookId, { limit: 20 }).page()).items,
    refetchInterval: (query) => (stillSending(query.state.data) ? 2000 : false),
  });

export const deliveryQuery = (deliveryId: string, status: Delivery['status'], attempts: number) =>
  // Keyed by what changes as it is retried, so a new attempt is fetched.
  queryOptions({ queryKey: ['webhooks', 'delivery', deliveryId, status, attempts], queryFn: () => taskgate.deliveries.get(deliveryId) });

export function useWebhookMutation<Args extends unknown[], Result>(call: (...args: Args) => Promise<Result>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (args: Args) => call(...args),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['webhooks'] }),
  });
}
