import { Command, CommanderError } from 'commander';
import { apiCommand } from './commands/api.js';
import { authCommands } from './commands/auth.js';
import { completionCommand } from './commands/completion.js';
import { scanCommand } from './commands/scan.js';
import { tokenCommands } from './commands/tokens.js';
import { workCommands } from './commands/work.js';
import { workspaceCommands } from './commands/workspace.js';
import { report } from './lib/errors.js';
import { EXIT } from './lib/exit-codes.js';
import { CLI_VERSION } from './lib/session.js';

/** Every command family registers itself here: a new one adds one line. */
export function buildProgram(): Command {
  const program = new Command('taskgate')
    .description('Taskgate from the terminal and CI. TASKGATE_URL and TASKGATE_TOKEN override stored credentials.')
    .version(CLI_VERSION)
    .showSuggestionAfterError()
    .exitOverride();
  authCommands(program);
  tokenCommands(program);
  workspaceCommands(program);
  workCommands(program);
  apiCommand(program);
  scanCommand(program);
  completionCommand(program);
  program.addHelpText(
    'after',
    `
Server commands (run where the server's data is): taskgate admin create, taskgate demo, taskgate backup, taskgate restore.
Exit codes: 0 ok, 1 error, 2 usage, 4 not authenticated.`,
  );
  return program;
}

export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end with exit 0; a usage mistake with 2 (commander has printed why).
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return report(error);
  }
}
