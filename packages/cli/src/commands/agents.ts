import type { Agent, ListedAgent, RegisteredAgent } from '@taskgate/client';
import type { Command } from 'commander';
import { CliError, EXIT } from '../lib/exit-codes.js';
import { printJson, printSecret, type Column } from '../lib/output.js';
import { allowedIps, positiveInteger, withAllowIp } from './options.js';
import { apiClient, inWorkspace, when, withWorkspace, type WorkspaceOption } from './scope.js';
import { done, printOne, printRows } from './views.js';
import { hygieneQuery, withHygieneFilters, type HygieneOptions } from '../lib/token-hygiene.js';
import { narrowWithPreview, printUsage, withNarrowOptions, type NarrowOptions } from '../lib/token-usage.js';

const COLUMNS: Array<Column<Agent>> = [
  { header: 'id', value: (a) => a.id },
  { header: 'name', value: (a) => a.name },
  { header: 'token', value: (a) => (a.token ? `${a.token.prefix}…` : 'revoked') },
  { header: 'last used', value: (a) => (a.token ? when(a.token.lastUsedAt, 'never') : '—') },
  { header: 'created', value: (a) => when(a.createdAt) },
  { header: 'description', value: (a) => a.description },
];

// Lists say, of each agent's current token, whether it is stale (unused for the stale period).
const LISTED_COLUMNS: Array<Column<ListedAgent>> = [...COLUMNS, { header: 'stale', value: (a) => (a.token?.stale ? 'stale' : '') }];

interface JsonOption {
  json?: boolean;
}

interface AgentOptions extends JsonOption {
  name?: string;
  description?: string;
  allowIp?: string[];
}

function agentFields(options: AgentOptions) {
  const ips = allowedIps(options);
  return {
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.description !== undefined ? { description: options.description } : {}),
    ...(ips !== undefined ? { allowedIps: ips } : {}),
  };
}

function printIssued(issued: RegisteredAgent, what: string, options: JsonOption): void {
  if (options.json) printJson(issued);
  else printSecret(issued.token, what);
}

/** `taskgate agents …`: automated workers with their own tokens (tga_). */
export function agentCommands(program: Command): void {
  const agents = program
    .command('agents')
    .description('Agents: automated workers that claim and complete tasks with their own token (tga_)');

  withAllowIp(withWorkspace(agents.command('register').description('Register an agent; its token is printed once, to stdout')))
    .requiredOption('--name <name>', 'what to call it')
    .option('--description <text>', 'what it does')
    .option('--json', 'print JSON')
    .action(async (options: WorkspaceOption & AgentOptions & { name: string }) => {
      const { tg, workspaceId } = await inWorkspace(options);
      const issued = await tg.agents.register(workspaceId, { ...agentFields(options), name: options.name });
      printIssued(issued, `Token of agent ${issued.agent.id} ("${issued.agent.name}")`, options);
    });

  withAllowIp(agents.command('edit <id>').description("Rename an agent, change its description or its tokens' IP allowlist"))
    .option('--name <name>', 'a new name')
    .option('--description <text>', 'a new description')
    .option('--json', 'print JSON')
    .action(async (id: string, options: AgentOptions) => {
      const changes = agentFields(options);
      if (Object.keys(changes).length === 0) throw new CliError('Say what to change: --name, --description, --allow-ip', EXIT.usage);
      printOne(await apiClient().tg.agents.update(id, changes), COLUMNS, options);
    });

  withHygieneFilters(withWorkspace(agents.command('list').description("The workspace's agents, newest first")))
    .option('--json', 'print JSON')
    .action(async (options: WorkspaceOption & HygieneOptions & JsonOption) => {
      const { tg, workspaceId } = await inWorkspace(options);
      printRows(await tg.agents.list(workspaceId, hygieneQuery(options)).all(), LISTED_COLUMNS, options, 'No agents.');
    });

  agents
    .command('usage <id>')
    .description('Which permissions and projects the agent used in the last 30 days')
    .option('--json', 'print JSON')
    .action(async (id: string, options: JsonOption) => printUsage(await apiClient().tg.agents.usage(id), options));

  withNarrowOptions(
    agents.command('narrow <id>').description('Narrow an agent to what it used (an agent holds a fixed matrix: nothing narrows)'),
  ).action(async (id: string, options: NarrowOptions) => {
    const { tg } = apiClient();
    await narrowWithPreview((dryRun) => tg.agents.narrow(id, { dryRun }), options);
  });

  agents
    .command('reissue <id>')
    .description('A new token for the agent, printed once; the old one keeps working for --grace seconds')
    .option('--grace <seconds>', 'how long the old token keeps working (at most 86400; default: it stops at once)', positiveInteger)
    .option('--json', 'print JSON')
    .action(async (id: string, options: JsonOption & { grace?: number }) => {
      const issued = await apiClient().tg.agents.reissueToken(id, { graceSeconds: options.grace ?? 0 });
      const old = issued.previousTokenRevokedAt ? ` (the old one works until ${issued.previousTokenRevokedAt})` : '';
      printIssued(issued, `New token of agent ${issued.agent.id}${old}`, options);
    });

  agents
    .command('revoke <id>')
    .description("Revoke the agent's token: it stops working on its next request (reissue gives a new one)")
    .option('--json', 'print the agent, without a token')
    .action(async (id: string, options: JsonOption) => {
      const { tg } = apiClient();
      await tg.agents.revokeToken(id);
      if (options.json) printJson(await tg.agents.get(id));
      else done(`Revoked the token of ${id}.`);
    });
}
