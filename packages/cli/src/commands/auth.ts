import os from 'node:os';
import type { Command } from 'commander';
import { CredentialStore } from '../lib/credentials.js';
import { CliError, EXIT } from '../lib/exit-codes.js';
import { ask, stdinLines } from '../lib/input.js';
import { bold, printJson, printSecret, printTable } from '../lib/output.js';
import { authenticatedClient, clientFor, normaliseUrl, resolveTarget } from '../lib/session.js';
import { collect } from './options.js';
import { inWorkspace, withWorkspace, type WorkspaceOption } from './scope.js';

/** One layer in a line: its name and what it is made of. */
function describeLayer(layer: { layer: string; role?: string; plan?: string; projectIds?: string[] | null; allows: string[] }): string {
  const facts =
    layer.role ?? layer.plan ?? (layer.projectIds ? `projects ${layer.projectIds.join(', ')}` : `${layer.allows.length} allowed`);
  return `${layer.layer} (${facts})`;
}

interface DelegateOptions {
  name?: string;
  permission?: string[];
  project?: string[];
  task?: string;
  expires?: number;
  json?: boolean;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `90s`, `30m`, `1h`, `1d` (a bare number is seconds) as seconds. */
function lifetimeSeconds(value: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(value.trim());
  if (!match) throw new CliError(`Not a duration: ${value} (use e.g. 30m, 1h or 24h)`, EXIT.usage);
  return Number(match[1]) * UNIT_SECONDS[match[2] || 's']!;
}

/** `taskgate auth login|status|permissions|delegate|token|logout` */
export function authCommands(program: Command): void {
  const auth = program.command('auth').description('Sign in and out, and see who you are');

  auth
    .command('login')
    .description('Sign in with email and password (a named session), or with a token read from stdin (--with-token)')
    .option('--url <url>', 'the Taskgate server', process.env.TASKGATE_URL ?? 'http://localhost:8080')
    .option('--with-token', 'read an API or session token from standard input')
    .action(async (options: { url: string; withToken?: boolean }) => {
      const url = normaliseUrl(options.url);
      const store = new CredentialStore();
      if (options.withToken) {
        const [token] = (await stdinLines()).filter(Boolean);
        if (!token) throw new CliError('No token on standard input: echo "$TOKEN" | taskgate auth login --with-token', EXIT.usage);
        const me = await clientFor(url, token).me.get();
        store.save(url, { token, via: 'token', user: me.email, savedAt: new Date().toISOString() });
        process.stderr.write(`Signed in to ${url} with a ${me.token?.kind ?? 'session'} token${me.email ? ` of ${me.email}` : ''}.\n`);
      } else {
        const interactive = process.stdin.isTTY === true;
        const answers = interactive ? [] : await stdinLines();
        const email = interactive ? await ask('Email: ') : (answers[0] ?? '');
        const password = interactive ? await ask('Password: ', true) : (answers[1] ?? '');
        if (!email || !password) throw new CliError('Give an email and a password (or use --with-token)', EXIT.usage);
        const { user, sessionToken } = await clientFor(url).auth.login({ email, password, deviceName: `taskgate CLI on ${os.hostname()}` });
        store.save(url, { token: sessionToken, via: 'session', user: user.email, savedAt: new Date().toISOString() });
        process.stderr.write(`Signed in to ${url} as ${user.email}.\n`);
      }
      process.stderr.write(`Credentials saved to ${store.describe()}.\n`);
    });

  auth
    .command('status')
    .description('Who is signed in: the credential, its expiry and permissions per workspace (exit 4 when not signed in)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const target = resolveTarget();
      if (!target.token) throw new CliError(`Not signed in to ${target.url}: run \`taskgate auth login\``, EXIT.notAuthenticated);
      const me = await clientFor(target.url, target.token).me.get();
      if (options.json) {
        printJson({ url: target.url, source: target.source, ...me });
      } else {
        const who = me.email ? `${me.name} <${me.email}>` : me.name;
        process.stdout.write(`${bold(target.url)}\n  Signed in as ${who}\n`);
        if (me.token) {
          process.stdout.write(`  Credential: ${me.token.kind} token ${me.token.id} "${me.token.name}"\n`);
          process.stdout.write(`  Expires: ${me.token.expiresAt ?? 'never'}\n`);
          const workspaces =
            me.token.workspaces ?? (me.token.workspaceId ? [{ workspaceId: me.token.workspaceId, permissions: me.token.permissions }] : []);
          for (const access of workspaces) {
            process.stdout.write(`  ${access.workspaceId}: ${access.permissions.join(', ') || 'no permissions'}\n`);
          }
        } else {
          process.stdout.write('  Credential: session (everything your role allows in each workspace)\n');
        }
        process.stdout.write(`  From: ${target.source === 'environment' ? 'TASKGATE_TOKEN' : 'stored credentials'}\n`);
      }
    });

  withWorkspace(
    auth
      .command('permissions')
      .description('What you may do in a workspace (and project), and for each thing you may not, the layer that refuses it'),
  )
    .option('--project <id>', 'explain one project (a project-scoped token reaches only its own)')
    .option('--json', 'print JSON')
    .action(async (options: WorkspaceOption & { project?: string; json?: boolean }) => {
      const { tg, workspaceId } = await inWorkspace(options);
      const explained = await tg.me.permissions({ workspaceId, ...(options.project ? { projectId: options.project } : {}) });
      if (options.json) return printJson(explained);
      printTable(explained.permissions, [
        { header: 'Permission', value: (p) => p.name },
        { header: 'Effective', value: (p) => (p.effective ? 'yes' : 'no') },
        { header: 'Refused by', value: (p) => p.refusedBy ?? '' },
      ]);
      const applying = explained.layers.filter((layer) => layer.applies);
      process.stdout.write(`\nLayers (${explained.credential}): ${applying.map(describeLayer).join('; ') || 'none'}\n`);
    });

  auth
    .command('delegate')
    .description('Mint a delegated token (tgd_) for a sub-agent from the API token in use: a subset of it, printed once')
    .option('--name <name>', 'what the delegated token is for')
    .option('--permission <name>', 'a permission it holds (repeat; default: all the current token holds)', collect)
    .option('--project <id>', 'a project it may reach (repeat; default: those the current token reaches)', collect)
    .option('--task <id>', 'the one task it may act on')
    .option('--expires <duration>', 'its lifetime, e.g. 30m, 1h, 24h (default 1h; never past the current token)', lifetimeSeconds)
    .option('--json', 'print the whole answer as JSON (the secret included)')
    .action(async (options: DelegateOptions) => {
      const issued = await authenticatedClient().me.delegate({
        ...(options.name !== undefined ? { name: options.name } : {}),
        ...(options.permission ? { permissions: options.permission } : {}),
        ...(options.project ? { projectIds: options.project } : {}),
        ...(options.task !== undefined ? { taskId: options.task } : {}),
        ...(options.expires !== undefined ? { expiresInSeconds: options.expires } : {}),
      });
      if (options.json) return printJson(issued);
      process.stderr.write(`Delegated token ${issued.id} (depth ${issued.depth}) expires at ${issued.expiresAt}.\n`);
      printSecret(issued.token, 'The delegated token');
    });

  auth
    .command('token')
    .description('Print the credential in use (for `curl -H "Authorization: Bearer $(taskgate auth token)"`)')
    .action(() => {
      const target = resolveTarget();
      if (!target.token) throw new CliError('Not signed in: run `taskgate auth login`', EXIT.notAuthenticated);
      process.stdout.write(`${target.token}\n`);
    });

  auth
    .command('logout')
    .description('Forget the stored credential; a session is also ended on the server')
    .action(async () => {
      const store = new CredentialStore();
      const current = store.current();
      if (!current) throw new CliError('Not signed in', EXIT.notAuthenticated);
      if (current.credential.via === 'session') {
        await clientFor(current.url, current.credential.token)
          .auth.logout()
          .catch(() => undefined);
      }
      store.forget(current.url);
      process.stderr.write(`Signed out of ${current.url}.\n`);
    });
}
