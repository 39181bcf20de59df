import type { InventoryToken, InventoryTokenKind } from '@taskgate/client';
import { Argument, Option, type Command } from 'commander';
import type { Column } from '../lib/output.js';
import { hygieneColumns, hygieneQuery, withHygieneFilters, type HygieneOptions } from '../lib/token-hygiene.js';
import { inWorkspace, when, withWorkspace, type WorkspaceOption } from './scope.js';
import { fetchList, printOne, printRows, type ListOptions } from './views.js';

const KINDS = ['personal', 'workspace', 'agent', 'delegated'] as const satisfies readonly InventoryTokenKind[];
const STATUSES = ['active', 'revoked', 'expired', 'disabled'] as const satisfies ReadonlyArray<InventoryToken['status']>;

const person = (p: InventoryToken['owner']) => (p === null ? '—' : p.email);

const COLUMNS: Array<Column<InventoryToken>> = [
  { header: 'kind', value: (t) => t.kind },
  { header: 'id', value: (t) => t.id },
  { header: 'name', value: (t) => t.name },
  { header: 'token', value: (t) => t.maskedToken },
  { header: 'owner', value: (t) => person(t.owner) },
  { header: 'created by', value: (t) => person(t.createdBy) },
  { header: 'status', value: (t) => t.status },
  { header: 'last used', value: (t) => when(t.lastUsedAt, 'never') },
  ...hygieneColumns<InventoryToken>(),
];

interface InventoryOptions extends WorkspaceOption, HygieneOptions, ListOptions {
  kind?: InventoryTokenKind;
  status?: InventoryToken['status'];
  createdBy?: string;
}

/**
 * `taskgate token-inventory …`: every token that can reach a workspace (its access tokens, its agents' tokens and its
 * members' personal tokens), masked, for the workspace's owners and instance admins, from a session.
 */
export function tokenInventoryCommands(program: Command): void {
  const inventory = program
    .command('token-inventory')
    .description("Every token that can reach a workspace, members' included (owners and instance admins; needs a session)");

  withHygieneFilters(withWorkspace(inventory.command('list').description('The tokens, newest first, masked')))
    .addOption(new Option('--kind <kind>', 'only tokens of this kind').choices(KINDS))
    .addOption(new Option('--status <status>', 'only tokens with this status').choices(STATUSES))
    .option('--created-by <userId>', 'only tokens this user created')
    .option('--all', 'every page, not only the first')
    .option('--json', 'print JSON')
    .action(async (options: InventoryOptions) => {
      const { tg, workspaceId } = await inWorkspace(options);
      const query = {
        ...hygieneQuery(options),
        ...(options.kind ? { kind: options.kind } : {}),
        ...(options.status ? { status: options.status } : {}),
        ...(options.createdBy ? { createdBy: options.createdBy } : {}),
      };
      const listed = await fetchList(tg.tokenInventory.list(workspaceId, query), options, 'tokens');
      printRows(listed, COLUMNS, options, 'No tokens.');
    });

  withWorkspace(
    inventory
      .command('revoke')
      .description(
        "Revoke any of them: it is refused from its next request (an agent token: all of the agent's; a delegated one: its descendants)",
      )
      .addArgument(new Argument('<kind>', 'personal, workspace, agent or delegated').choices(KINDS))
      .argument('<id>', 'the token id, as listed'),
  )
    .option('--json', 'print JSON')
    .action(async (kind: InventoryTokenKind, id: string, options: WorkspaceOption & { json?: boolean }) => {
      const { tg, workspaceId } = await inWorkspace(options);
      printOne(await tg.tokenInventory.revoke(workspaceId, kind, id), COLUMNS, options);
    });
}
