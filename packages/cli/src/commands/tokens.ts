import type { Command } from 'commander';
import { CliError, EXIT } from '../lib/exit-codes.js';
import { printJson, printSecret, printTable, type Column } from '../lib/output.js';
import { authenticatedClient } from '../lib/session.js';
import { hygieneColumns, hygieneQuery, withHygieneFilters, type HygieneOptions } from '../lib/token-hygiene.js';
import { narrowWithPreview, printUsage, withNarrowOptions, type NarrowOptions } from '../lib/token-usage.js';
import { allowedIps, collect, expiresAt, positiveInteger, withAllowIp } from './options.js';

interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  status: string;
  permissions: string[] | null;
  expiresAt: string;
  lastUsedAt: string | null;
}

const COLUMNS: Array<Column<TokenRow>> = [
  { header: 'id', value: (t) => t.id },
  { header: 'name', value: (t) => t.name },
  { header: 'token', value: (t) => `${t.prefix}…` },
  { header: 'status', value: (t) => t.status },
  { header: 'permissions', value: (t) => (t.permissions === null ? 'all' : t.permissions.join(',')) },
  { header: 'expires', value: (t) => t.expiresAt.slice(0, 10) },
  { header: 'last used', value: (t) => t.lastUsedAt?.slice(0, 16).replace('T', ' ') ?? 'never' },
];

interface DelegatedRow {
  id: string;
  name: string;
  displayPrefix: string;
  depth: number;
  permissions: string[] | null;
  expiresAt: string;
  lastUsedAt: string | null;
}

/** Each token followed by the live tokens delegated from it (tgd_), indented by depth. */
function withDelegatedRows<T extends TokenRow & { delegations?: DelegatedRow[]; expiresInDays: number | null; stale: boolean }>(
  tokens: readonly T[],
) {
  return tokens.flatMap((token) => [
    token,
    ...(token.delegations ?? []).map((child) => ({
      id: child.id,
      name: `${'  '.repeat(child.depth)}└ ${child.name}`,
      prefix: child.displayPrefix,
      status: 'delegated',
      permissions: child.permissions,
      expiresAt: child.expiresAt,
      lastUsedAt: child.lastUsedAt,
      expiresInDays: null,
      stale: false,
    })),
  ]);
}

interface TokenOptions {
  name?: string;
  permission?: string[];
  project?: string[];
  expiresIn?: number;
  expiresAt?: string;
  rateLimit?: number;
  allowIp?: string[];
  json?: boolean;
}

function tokenFields(options: TokenOptions) {
  const expiry = expiresAt(options);
  const ips = allowedIps(options);
  return {
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.permission ? { permissions: options.permission } : {}),
    ...(options.project ? { projectIds: options.project } : {}),
    ...(expiry ? { expiresAt: expiry } : {}),
    ...(options.rateLimit !== undefined ? { rateLimitPerMinute: options.rateLimit } : {}),
    ...(ips !== undefined ? { allowedIps: ips } : {}),
  };
}

function withTokenOptions(command: Command): Command {
  return withAllowIp(command)
    .option('--permission <name>', 'a permission the token holds (repeat; default: all your role allows)', collect)
    .option('--project <id>', 'limit the token to a project (repeat)', collect)
    .option('--expires-in <days>', 'expire in this many days', positiveInteger)
    .option('--expires-at <time>', 'expire at this RFC 3339 time')
    .option('--rate-limit <n>', 'requests per minute', positiveInteger)
    .option('--json', 'print JSON');
}

/** `taskgate tokens …`: personal access tokens (a session is needed: tokens never manage tokens). */
export function tokenCommands(program: Command): void {
  const tokens = program.command('tokens').description('Your personal access tokens (needs a session: `taskgate auth login`)');

  withTokenOptions(
    tokens
      .command('create')
      .description('Create a token; the secret is printed once, to stdout')
      .requiredOption('--name <name>', 'what it is for'),
  ).action(async (options: TokenOptions) => {
    const issued = await authenticatedClient().tokens.create({ name: options.name!, ...tokenFields(options) });
    if (options.json) printJson(issued);
    else printSecret(issued.token, `Token ${issued.id} ("${issued.name}")`);
  });

  withHygieneFilters(tokens.command('list').description('Your tokens, newest first'))
    .option('--status <status>', 'active, expired or revoked')
    .option('--search <text>', 'names containing this text')
    .option('--json', 'print JSON')
    .action(async (options: HygieneOptions & { status?: 'active' | 'expired' | 'revoked'; search?: string; json?: boolean }) => {
      const query = {
        ...(options.status ? { status: options.status } : {}),
        ...(options.search ? { q: options.search } : {}),
        ...hygieneQuery(options),
      };
      const all = await authenticatedClient().tokens.list(query).all();
      if (options.json) printJson(all);
      else printTable(withDelegatedRows(all), [...COLUMNS, ...hygieneColumns()], 'No tokens.');
    });

  tokens
    .command('show <id>')
    .description('One token')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const token = await authenticatedClient().tokens.get(id);
      if (options.json) printJson(token);
      else printTable([token], COLUMNS);
    });

  withTokenOptions(
    tokens
      .command('edit <id>')
      .description('Rename, narrow or widen, change expiry, rate limit or IP allowlist')
      .option('--name <name>', 'a new name'),
  ).action(async (id: string, options: TokenOptions) => {
    const fields = tokenFields(options);
    if (Object.keys(fields).length === 0)
      throw new CliError('Say what to change: --name, --permission, --project, --expires-in, --rate-limit, --allow-ip', EXIT.usage);
    const token = await authenticatedClient().tokens.update(id, fields);
    if (options.json) printJson(token);
    else printTable([token], COLUMNS);
  });

  tokens
    .command('rotate <id>')
    .description('A new secret, printed once; the old one keeps working for --grace seconds')
    .option('--grace <seconds>', 'how long the old secret keeps working (at most 86400)', positiveInteger)
    .option('--json', 'print JSON')
    .action(async (id: string, options: { grace?: number; json?: boolean }) => {
      const issued = await authenticatedClient().tokens.rotate(id, { graceSeconds: options.grace ?? 0 });
      if (options.json) printJson(issued);
      else {
        const grace = issued.previousSecretValidUntil ? ` (the old one works until ${issued.previousSecretValidUntil})` : '';
        printSecret(issued.token, `New secret of ${issued.id}${grace}`);
      }
    });

  tokens
    .command('usage <id>')
    .description('Which of its permissions and projects the token used in the last 30 days, and which it never did')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }) => printUsage(await authenticatedClient().tokens.usage(id), options));

  withNarrowOptions(
    tokens.command('narrow <id>').description('Narrow the token to the permissions and projects it used (a preview first)'),
  ).action(async (id: string, options: NarrowOptions) => {
    const tg = authenticatedClient();
    await narrowWithPreview((dryRun) => tg.tokens.narrow(id, { dryRun }), options);
  });

  tokens
    .command('revoke <id>')
    .description('Revoke a token: it stops working on its next request')
    .action(async (id: string) => {
      await authenticatedClient().tokens.revoke(id);
      process.stderr.write(`Revoked ${id}.\n`);
    });

  tokens
    .command('revoke-all')
    .description('Revoke every one of your tokens')
    .requiredOption('--yes', 'confirm: every script using them stops')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const result = await authenticatedClient().tokens.revokeAll();
      if (options.json) printJson(result);
      else process.stderr.write(`Revoked ${result.revoked} token${result.revoked === 1 ? '' : 's'}.\n`);
    });
}
