import type { Delivery } from '@taskgate/client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { Badge } from '../../components/ui/badge';
import { Button } from '../../components/ui/button';
import { taskgate } from '../../lib/api';
import { formatDateTime, relativeTime } from '../../lib/format';
import { deliveriesQuery, deliveryQuery, useWebhookMutation } from './api';

const STATUS_VARIANT = { pending: 'warning', succeeded: 'success', failed: 'destructive' } as const;

/** Every attempt of one delivery: when, what came back (or why nothing did), how long it took. */
function Attempts({ delivery }: { delivery: Delivery }) {
  const detail = useQuery(deliveryQuery(delivery.id, delivery.status, delivery.attempts));
  if (detail.error) return <ErrorMessage error={detail.error} />;
  if (!detail.data) return <p className="text-xs text-muted-foreground">Loading attempts…</p>;
  if (detail.data.attemptHistory.length === 0) return <p className="text-xs text-muted-foreground">Not attempted yet.</p>;
  return (
    <ol className="grid gap-2" aria-label={`Attempts of delivery ${delivery.id}`}>
      {detail.data.attemptHistory.map((attempt, i) => (
        <li key={attempt.id} className="rounded-md border bg-background p-2 text-xs" data-testid="attempt">
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <span className="font-medium">Attempt {i + 1}</span>
            <span>{formatDateTime(attempt.attemptedAt)}</span>
            <span data-testid="attempt-status">{attempt.responseStatus !== null ? `HTTP ${attempt.responseStatus}` : 'No answer'}</span>
            <span>{attempt.durationMs} ms</span>
          </div>
          {attempt.error && <p className="mt-1 text-destructive-text">Error: {attempt.error}</p>}
          {attempt.responseBody && (
            <pre
              className="mt-1 max-h-32 overflow-auto whitespace-pre-wrap break-all rounded bg-muted p-1.5 font-mono"
              role="note"
              aria-label="Response excerpt"
            >
              {attempt.responseBody}
            </pre>
          )}
        </li>
      ))}
    </ol>
  );
}

/** An endpoint's latest deliveries, each with its attempts and a way to send it again. */
export function DeliveryHistory({ workspaceId, webhookId, canManage }: { workspaceId: string; webhookId: string; canManage: boolean }) {
  const queryClient = useQueryClient();
  const deliveries = useQuery(deliveriesQuery(webhookId));
  // An attempt's outcome changes the endpoint's own state (failing since…, disabled): fetch it again then.
  const outcome = deliveries.data?.map((d) => `${d.id}:${d.status}:${d.attempts}`).join() ?? '';
  useEffect(() => {
    if (outcome) void queryClient.invalidateQueries({ queryKey: ['webhooks', workspaceId], exact: true });
  }, [outcome, queryClient, workspaceId]);
  const [open, setOpen] = useState<string | null>(null);
  const redeliver = useWebhookMutation((id: string) => taskgate.deliveries.redeliver(id));
  return (
    <section aria-label="Delivery history" className="grid gap-2">
      <div className="flex items-center justify-between">
        <h3 className="text-sm font-semibold">Deliveries</h3>
        <Button size="sm" variant="ghost" onClick={() => deliveries.refetch()}>
          Refresh
        </Button>
      </div>
      <ErrorMessage error={deliveries.error ?? redeliver.error} />
      {deliveries.data?.length === 0 && (
        <p className="text-xs text-muted-foreground">Nothing sent yet. Send a test event to try the endpoint.</p>
      )}
      <ul className="grid gap-2">
        {deliveries.data?.map((delivery) => (
          <li key={delivery.id} className="rounded-md border bg-muted/30 p-2" data-delivery-id={delivery.id} data-status={delivery.status}>
            <div className="flex flex-wrap items-center gap-2 text-xs">
              <span className="font-mono">{delivery.eventType}</span>
              <Badge variant={STATUS_VARIANT[delivery.status]}>{delivery.status}</Badge>
              <span>
                {delivery.attempts} attempt{delivery.attempts === 1 ? '' : 's'}
              </span>
              {delivery.lastResponseStatus !== null && <span>last HTTP {delivery.lastResponseStatus}</span>}
              <span className="text-muted-foreground">{relativeTime(delivery.createdAt)}</span>
              {delivery.nextAttemptAt && <span className="text-muted-foreground">next try {relativeTime(delivery.nextAttemptAt)}</span>}
              <span className="ml-auto flex gap-1">
                <Button
                  size="sm"
                  variant="outline"
                  aria-expanded={open === delivery.id}
                  onClick={() => setOpen(open === delivery.id ? null : delivery.id)}
                >
                  {open === delivery.id ? 'Hide attempts' : 'Attempts'}
                </Button>
                {canManage && (
                  <Button size="sm" variant="outline" disabled={redeliver.isPending} onClick={() => redeliver.mutate([delivery.id])}>
                    Redeliver
                  </Button>
                )}
              </span>
            </div>
            {open === delivery.id && (
              <div className="mt-2">
                <Attempts delivery={delivery} />
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
