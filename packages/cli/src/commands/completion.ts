import { Argument, type Command } from 'commander';
import { bashScript, zshScript, type CompletionNode } from './completion-scripts.js';

/** Every command of the tree, with what may follow it: read from commander, so new commands complete too. */
function commandTree(command: Command, path: string[] = []): CompletionNode[] {
  const help = command.createHelp();
  const subcommands = help.visibleCommands(command);
  const node: CompletionNode = {
    path: path.join(' '),
    commands: subcommands.map((sub) => ({ name: sub.name(), description: sub.summary() || sub.description() })),
    options: help.visibleOptions(command).map((option) => ({
      names: [option.short, option.long].filter((name): name is string => name !== undefined),
      description: option.description,
      takesValue: option.required,
      choices: option.argChoices ?? [],
    })),
    argumentChoices: command.registeredArguments.map((argument) => argument.argChoices ?? []),
  };
  return [node, ...subcommands.flatMap((sub) => commandTree(sub, [...path, sub.name()]))];
}

const SCRIPTS = { bash: bashScript, zsh: zshScript } as const;

/** `taskgate completion bash|zsh`: a shell completion script for every command and option. */
export function completionCommand(program: Command): void {
  program
    .command('completion')
    .description('Print a shell completion script: source <(taskgate completion bash), or zsh')
    .addArgument(new Argument('<shell>', 'bash or zsh').choices(Object.keys(SCRIPTS)))
    .addHelpText(
      'after',
      `
bash: add to ~/.bashrc   source <(taskgate completion bash)
zsh:  add to ~/.zshrc    source <(taskgate completion zsh)   (after compinit)`,
    )
    .action((shell: keyof typeof SCRIPTS) => {
      process.stdout.write(SCRIPTS[shell](commandTree(program)));
    });
}
