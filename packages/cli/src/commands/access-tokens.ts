import type { AccessToken, ListedAccessToken } from '@taskgate/client';
import { Option, type Command } from 'commander';
import { CliError, EXIT } from '../lib/exit-codes.js';
import { printJson, printSecret, type Column } from '../lib/output.js';
import { allowedIps, expiresAt, positiveInteger, withAllowIp } from './options.js';
import { inWorkspace, when, withWorkspace, type WorkspaceOption } from './scope.js';
import { done, printOne, printRows } from './views.js';
import { hygieneColumns, hygieneQuery, withHygieneFilters, type HygieneOptions } from '../lib/token-hygiene.js';
import { narrowWithPreview, printUsage, withNarrowOptions, type NarrowOptions } from '../lib/token-usage.js';

const SCOPES = ['viewer', 'team_member', 'workspace_manager', 'administrator', 'owner'] as const;
type Scope = (typeof SCOPES)[number];

const COLUMNS: Array<Column<AccessToken>> = [
  { header: 'id', value: (t) => t.id },
  { header: 'label', value: (t) => t.label },
  { header: 'token', value: (t) => `${t.prefix}…` },
  { header: 'scope', value: (t) => t.scope },
  { header: 'status', value: (t) => t.status },
  { header: 'rate limit', value: (t) => (t.rateLimitPerMinute === null ? 'default' : `${t.rateLimitPerMinute}/min`) },
  { header: 'expires', value: (t) => t.expiresAt?.slice(0, 10) ?? 'never' },
  { header: 'last used', value: (t) => when(t.lastUsedAt, 'never') },
];

interface TokenOptions extends WorkspaceOption {
  label?: string;
  scope?: Scope;
  expiresIn?: number;
  rateLimit?: number;
  allowIp?: string[];
  json?: boolean;
}

function fields(options: TokenOptions) {
  const expiry = expiresAt(options);
  const ips = allowedIps(options);
  return {
    ...(options.label !== undefined ? { label: options.label } : {}),
    ...(options.scope !== undefined ? { scope: options.scope } : {}),
    ...(expiry ? { expiresAt: expiry } : {}),
    ...(options.rateLimit !== undefined ? { rateLimitPerMinute: options.rateLimit } : {}),
    ...(ips !== undefined ? { allowedIps: ips } : {}),
  };
}

const scopeOption = () => new Option('--scope <role>', 'the role it acts with, at most your own').choices(SCOPES);

function withTokenOptions(command: Command): Command {
  return withAllowIp(withWorkspace(command))
    .option('--expires-in <days>', 'expire in this many days (default: never)', positiveInteger)
    .option('--rate-limit <n>', "requests per minute (default: the instance's token limit)", positiveInteger)
    .option('--json', 'print JSON');
}

/** `taskgate access-tokens …`: a workspace's API keys (managed with a session: tokens never manage tokens). */
export function accessTokenCommands(program: Command): void {
  const tokens = program.command('access-tokens').description("A workspace's access tokens, tgw_ (needs a session: `taskgate auth login`)");

  withHygieneFilters(withWorkspace(tokens.command('list').description("The workspace's access tokens, newest first")))
    .option('--json', 'print JSON')
    .action(async (options: WorkspaceOption & HygieneOptions & { json?: boolean }) => {
      const { tg, workspaceId } = await inWorkspace(options);
      const listed = await tg.accessTokens.list(workspaceId, hygieneQuery(options)).all();
      printRows(listed, [...COLUMNS, ...hygieneColumns<ListedAccessToken>()], options, 'No access tokens.');
    });

  withTokenOptions(
    tokens
      .command('create')
      .description('Create a token; the secret is printed once, to stdout')
      .requiredOption('--label <text>', 'what it is for')
      .addOption(scopeOption().makeOptionMandatory()),
  ).action(async (options: TokenOptions & { label: string; scope: Scope }) => {
    const { tg, workspaceId } = await inWorkspace(options);
    const issued = await tg.accessTokens.create(workspaceId, { ...fields(options), label: options.label, scope: options.scope });
    if (options.json) printJson(issued);
    else printSecret(issued.token, `Access token ${issued.id} ("${issued.label}")`);
  });

  withTokenOptions(
    tokens
      .command('edit <id>')
      .description('Relabel, change scope, expiry, rate limit or IP allowlist')
      .option('--label <text>', 'a new label')
      .addOption(scopeOption()),
  ).action(async (id: string, options: TokenOptions) => {
    const changes = fields(options);
    if (Object.keys(changes).length === 0)
      throw new CliError('Say what to change: --label, --scope, --expires-in, --rate-limit, --allow-ip', EXIT.usage);
    const { tg, workspaceId } = await inWorkspace(options);
    printOne(await tg.accessTokens.update(workspaceId, id, changes), COLUMNS, options);
  });

  for (const [verb, enabled, description] of [
    ['disable', false, 'Disable a token: it is refused until enabled again'],
    ['enable', true, 'Enable a disabled token again'],
  ] as const) {
    withWorkspace(tokens.command(`${verb} <id>`).description(description))
      .option('--json', 'print JSON')
      .action(async (id: string, options: WorkspaceOption & { json?: boolean }) => {
        const { tg, workspaceId } = await inWorkspace(options);
        printOne(await tg.accessTokens.update(workspaceId, id, { enabled }), COLUMNS, options);
      });
  }

  withWorkspace(tokens.command('usage <id>').description('Which permissions and projects the token used in the last 30 days'))
    .option('--json', 'print JSON')
    .action(async (id: string, options: WorkspaceOption & { json?: boolean }) => {
      const { tg, workspaceId } = await inWorkspace(options);
      printUsage(await tg.accessTokens.usage(workspaceId, id), options);
    });

  withNarrowOptions(
    withWorkspace(
      tokens.command('narrow <id>').description('Narrow the scope to the narrowest role covering what it used (a preview first)'),
    ),
  ).action(async (id: string, options: WorkspaceOption & NarrowOptions) => {
    const { tg, workspaceId } = await inWorkspace(options);
    await narrowWithPreview((dryRun) => tg.accessTokens.narrow(workspaceId, id, { dryRun }), options);
  });

  withWorkspace(tokens.command('delete <id>').description('Delete a token for good'))
    .option('--json', 'print JSON')
    .action(async (id: string, options: WorkspaceOption & { json?: boolean }) => {
      const { tg, workspaceId } = await inWorkspace(options);
      await tg.accessTokens.delete(workspaceId, id);
      if (options.json) printJson({ id, deleted: true });
      else done(`Deleted ${id}.`);
    });
}
