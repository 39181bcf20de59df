import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../packages/cli/src/main.js';
import { runCli } from './run.js';

const hasZsh = spawnSync('zsh', ['-c', 'true']).status === 0;

function scriptFile(text: string, name: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-completion-')), name);
  fs.writeFileSync(file, text);
  return file;
}

/** Every command path of the CLI (`tasks list`…), as commander holds them. */
function commandPaths(command: Command, prefix: string[] = []): string[] {
  return command.commands.flatMap((sub) => [[...prefix, sub.name()].join(' '), ...commandPaths(sub, [...prefix, sub.name()])]);
}

/** What bash offers after `words` (the last one being completed), through the script's own function. */
function bashCompletes(script: string, words: string[]): string[] {
  const line = words.map((w) => `'${w}'`).join(' ');
  const out = execFileSync(
    'bash',
    [
      '-c',
      `source "$1"; COMP_WORDS=(${line}); COMP_CWORD=${words.length - 1}; _taskgate; printf '%s\\n' "\${COMPREPLY[@]}"`,
      'bash',
      script,
    ],
    { encoding: 'utf8' },
  );
  return out.split('\n').filter(Boolean);
}

describe('taskgate completion', () => {
  it('prints a bash script that bash accepts and that completes commands, subcommands, options and their choices', async () => {
    const run = await runCli(['completion', 'bash']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^# bash completion for taskgate, generated from its commands: source <\(taskgate completion bash\)\n/);
    expect(run.stdout).toContain('\ncomplete -o default -F _taskgate taskgate\n');
    const script = scriptFile(run.stdout, 'taskgate.bash');
    expect(spawnSync('bash', ['-n', script]).status).toBe(0);

    const paths = commandPaths(buildProgram());
    expect(paths).toEqual(
      expect.arrayContaining([
        'access-tokens create',
        'agents reissue',
        'projects list',
        'tasks claim',
        'webhooks redeliver',
        'events tail',
        'completion',
      ]),
    );
    // Every command of the tree has its options in the script: a new command completes without touching it.
    for (const command of paths) expect(run.stdout).toContain(`\n    '${command}') echo '`);

    expect(bashCompletes(script, ['taskgate', ''])).toEqual(expect.arrayContaining(['tasks', 'agents', 'access-tokens', 'completion']));
    expect(bashCompletes(script, ['taskgate', 'ta'])).toEqual(['tasks']);
    expect(bashCompletes(script, ['taskgate', 'tasks', ''])).toEqual([
      'list',
      'show',
      'create',
      'edit',
      'claim',
      'complete',
      'assign',
      'help',
    ]);
    expect(bashCompletes(script, ['taskgate', 'tasks', 'list', '--project', 'prj_1', '--d'])).toEqual(['--due-before', '--due-after']);
    expect(bashCompletes(script, ['taskgate', 'tasks', 'list', '--priority', ''])).toEqual(['none', 'low', 'medium', 'high', 'urgent']);
    expect(bashCompletes(script, ['taskgate', 'access-tokens', 'create', '--label', 'ci', '--scope', 'w'])).toEqual(['workspace_manager']);
    expect(bashCompletes(script, ['taskgate', 'completion', ''])).toEqual(['bash', 'zsh']);
    // --max-polls is for tests: hidden from help, so from completion too.
    expect(bashCompletes(script, ['taskgate', 'events', 'tail', '--'])).toEqual(['--workspace', '--type', '--last', '--json', '--help']);
  });

  it('prints a zsh script with the commands and their descriptions', async () => {
    const run = await runCli(['completion', 'zsh']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^#compdef taskgate\n/);
    expect(run.stdout).toContain(`'tasks:Tasks: list, show, create, edit, claim, complete, assign'`);
    expect(run.stdout).toContain(`'--if-match:the version you saw (tasks show): refused if it has changed since'`);
    expect(run.stdout).toContain(`'tasks list|--priority') items=('none' 'low' 'medium' 'high' 'urgent')`);
  });

  it.skipIf(!hasZsh)('zsh accepts the zsh script and completes with it', async () => {
    const script = scriptFile((await runCli(['completion', 'zsh'])).stdout, '_taskgate');
    expect(spawnSync('zsh', ['-n', script]).status).toBe(0);
    // Stand-ins for the completion system's builtins, printing what they were given.
    const driver = `compdef() { :; }
_describe() { local -a given=("\${(@P)4}"); print -r -- "\${(j: :)\${(@)given%%:*}}"; }
compadd() { print -r -- "\${(j: :)\${(P)2}}"; }
_files() { print -r -- files; }
source "$1"
words=(taskgate tasks ''); CURRENT=3; _taskgate
words=(taskgate tasks list --sort ''); CURRENT=5; _taskgate
words=(taskgate tasks show tsk_1 --); CURRENT=5; _taskgate
words=(taskgate api POST /x --input ''); CURRENT=6; _taskgate`;
    const out = execFileSync('zsh', ['-c', driver, 'zsh', script], { encoding: 'utf8' });
    expect(out.split('\n')).toEqual([
      'list show create edit claim complete assign help',
      'position -position createdAt -createdAt updatedAt -updatedAt dueAt -dueAt priority -priority',
      '--json -h --help',
      'files',
      '',
    ]);
  });

  it('refuses a shell it does not know (exit 2)', async () => {
    const run = await runCli(['completion', 'fish']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("error: command-argument value 'fish' is invalid for argument 'shell'. Allowed choices are bash, zsh.\n");
  });
});
