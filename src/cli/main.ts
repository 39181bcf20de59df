import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/config.js';
import { createContext, type AppContext } from '../context.js';
import { demoCommand } from './demo.js';
import { createUser } from '../users/users.service.js';

const USAGE = `Usage:
  taskgate admin create --email E --password P [--name N]   create an instance admin
  taskgate demo [--email E] [--password P]                  fill a demo workspace`;

type Command = (ctx: AppContext, args: string[]) => Promise<string>;

const adminCreate: Command = async (ctx, args) => {
  const { values } = parseArgs({ args, options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } } });
  if (!values.email || !values.password) throw new ConfigError('admin create needs --email and --password');
  if (values.password.length < 8) throw new ConfigError('the password needs at least 8 characters');
  const user = await createUser(ctx.db, { email: values.email, password: values.password, name: values.name ?? 'Admin', isAdmin: true }, ctx.config.passwordHashCost);
  return `Created instance admin ${user.email} (${user.id})`;
};

/** Commands by their words; a new command adds one entry. */
const COMMANDS: Record<string, Command> = {
  'admin create': adminCreate,
  'demo': demoCommand,
};

export async function runCli(argv: string[]): Promise<number> {
  const name = Object.keys(COMMANDS).find((words) => argv.slice(0, words.split(' ').length).join(' ') === words);
  if (!name) {
    console.error(USAGE);
    return 2;
  }
  let ctx: AppContext | null = null;
  try {
    ctx = await createContext(loadConfig());
    console.log(await COMMANDS[name]!(ctx, argv.slice(name.split(' ').length)));
    return 0;
  } catch (err) {
    console.error(`taskgate: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    await ctx?.close();
  }
}

process.exitCode = await runCli(process.argv.slice(2));
