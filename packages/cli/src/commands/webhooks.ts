import type { Delivery, Webhook } from '@taskgate/client';
import { Option, type Command } from 'commander';
import type { Column } from '../lib/output.js';
import { positiveInteger } from './options.js';
import { apiClient, inWorkspace, when, withWorkspace, type WorkspaceOption } from './scope.js';
import { done, fetchList, printOne, printRows, type ListOptions } from './views.js';

function webhookState(w: Webhook): string {
  if (!w.enabled) return w.disabledReason ? `disabled (${w.disabledReason})` : 'disabled';
  return w.failingSince ? `failing since ${when(w.failingSince)}` : 'enabled';
}

const WEBHOOK_COLUMNS: Array<Column<Webhook>> = [
  { header: 'id', value: (w) => w.id },
  { header: 'url', value: (w) => w.url },
  { header: 'events', value: (w) => w.events.join(',') },
  { header: 'state', value: webhookState },
  { header: 'description', value: (w) => w.description },
];

const DELIVERY_COLUMNS: Array<Column<Delivery>> = [
  { header: 'id', value: (d) => d.id },
  { header: 'event', value: (d) => d.eventType },
  { header: 'status', value: (d) => d.status },
  { header: 'attempts', value: (d) => String(d.attempts) },
  { header: 'last answer', value: (d) => (d.lastResponseStatus === null ? '—' : String(d.lastResponseStatus)) },
  { header: 'last attempt', value: (d) => when(d.lastAttemptAt) },
  { header: 'created', value: (d) => when(d.createdAt) },
];

/** `taskgate webhooks …`: endpoints and their delivery history (creating them is `taskgate api` or the web UI). */
export function webhookCommands(program: Command): void {
  const webhooks = program.command('webhooks').description("A workspace's webhook endpoints and their deliveries");

  withWorkspace(webhooks.command('list').description("The workspace's webhook endpoints"))
    .option('--json', 'print JSON')
    .action(async (options: WorkspaceOption & { json?: boolean }) => {
      const { tg, workspaceId } = await inWorkspace(options);
      printRows(await tg.webhooks.list(workspaceId).all(), WEBHOOK_COLUMNS, options, 'No webhooks.');
    });

  webhooks
    .command('deliveries <webhook-id>')
    .description("An endpoint's deliveries, newest first (one page unless --all)")
    .addOption(new Option('--status <status>', 'only these').choices(['pending', 'succeeded', 'failed'] as const))
    .option('--limit <n>', 'deliveries per page (at most 200)', positiveInteger)
    .option('--all', 'every page')
    .option('--json', 'print JSON')
    .action(async (webhookId: string, options: ListOptions & { status?: 'pending' | 'succeeded' | 'failed'; limit?: number }) => {
      const query = { ...(options.status ? { status: options.status } : {}), ...(options.limit ? { limit: options.limit } : {}) };
      const deliveries = await fetchList(apiClient().tg.deliveries.list(webhookId, query), options, 'deliveries');
      printRows(deliveries, DELIVERY_COLUMNS, options, 'No deliveries.');
    });

  webhooks
    .command('redeliver <delivery-id>')
    .description('Send a delivery again: the same body and webhook-id, its retry schedule afresh')
    .option('--json', 'print JSON')
    .action(async (deliveryId: string, options: { json?: boolean }) => {
      const delivery = await apiClient().tg.deliveries.redeliver(deliveryId);
      printOne(delivery, DELIVERY_COLUMNS, options);
      if (!options.json) done(`Queued ${delivery.id} again.`);
    });
}
