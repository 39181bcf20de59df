import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { createContext, type AppContext } from '../context.js';
import { backupCommand, restoreCommand, UsageError } from './backup.js';
import { demoCommand } from './demo.js';
import { createUser } from '../users/users.service.js';

const USAGE = `Usage:
  taskgate admin create --email E --password P [--name N]   create an instance admin
  taskgate demo [--email E] [--password P]                  fill a demo workspace
  taskgate backup --out FILE [--force]                      copy the SQLite database, server running
  taskgate restore --from FILE                              put a backup in place, server stopped`;

type Command = (ctx: AppContext, args: string[]) => Promise<string>;
/** A command on the database file itself: it gets the configuration, never an opened (and migrated) database. */
type FileCommand = (config: Config, args: string[]) => Promise<string>;

const adminCreate: Command = async (ctx, args) => {
  const { values } = parseArgs({ args, options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } } });
  if (!values.email || !values.password) throw new ConfigError('admin create needs --email and --password');
  const user = await createUser(
    ctx.db,
    { email: values.email, password: values.password, name: values.name ?? 'Admin', isAdmin: true },
    ctx.config.passwordHashCost,
    ctx.config.passwordMinLength,
  );
  return `Created instance admin ${user.email} (${user.id})`;
};

/** Commands by their words; a new command adds one entry. */
const COMMANDS: Record<string, Command> = {
  'admin create': adminCreate,
  'demo': demoCommand,
};

const FILE_COMMANDS: Record<string, FileCommand> = {
  'backup': backupCommand,
  'restore': restoreCommand,
};

export async function runCli(argv: string[]): Promise<number> {
  const name = [...Object.keys(COMMANDS), ...Object.keys(FILE_COMMANDS)].find(
    (words) => argv.slice(0, words.split(' ').length).join(' ') === words,
  );
  if (!name) {
    console.error(USAGE);
    return 2;
  }
  const args = argv.slice(name.split(' ').length);
  let ctx: AppContext | null = null;
  try {
    const fileCommand = FILE_COMMANDS[name];
    if (fileCommand) {
      console.log(await fileCommand(loadConfig(), args));
    } else {
      ctx = await createContext(loadConfig());
      console.log(await COMMANDS[name]!(ctx, args));
    }
    return 0;
  } catch (err) {
    console.error(`taskgate: ${err instanceof Error ? err.message : String(err)}`);
    if (err instanceof UsageError) console.error(USAGE);
    return err instanceof UsageError ? 2 : 1;
  } finally {
    await ctx?.close();
  }
}

process.exitCode = await runCli(process.argv.slice(2));
