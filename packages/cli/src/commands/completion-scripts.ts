/** One command (`tasks list`; the root is ''), and what may follow it on the command line. */
export interface CompletionNode {
  path: string;
  commands: Array<{ name: string; description: string }>;
  options: Array<{ names: string[]; description: string; takesValue: boolean; choices: readonly string[] }>;
  /** The fixed choices of each positional argument, in order (empty when any value goes). */
  argumentChoices: Array<readonly string[]>;
}

/** A single-quoted shell word: safe for any text in bash and zsh alike. */
function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * A `case` on its first argument: one branch per key, each setting the result. Keys are
 * `<command path>` or `<command path>|<option or argument number>`.
 */
function caseFunction(name: string, entries: Array<[key: string, body: string]>, otherwise: string): string {
  const branches = entries.map(([key, body]) => `    ${quote(key)}) ${body} ;;`);
  return `${name}() {\n  case $1 in\n${branches.join('\n')}\n    *) ${otherwise} ;;\n  esac\n}\n`;
}

/** Options that take the next word as their value, and the fixed values options and arguments take. */
function valueTables(nodes: CompletionNode[], set: (values: readonly string[]) => string, none: string): string {
  const takesValue: Array<[string, string]> = [];
  const values: Array<[string, string]> = [];
  for (const node of nodes) {
    for (const option of node.options) {
      for (const name of option.names) {
        if (option.takesValue) takesValue.push([`${node.path}|${name}`, 'return 0']);
        if (option.choices.length > 0) values.push([`${node.path}|${name}`, set(option.choices)]);
      }
    }
    node.argumentChoices.forEach((choices, i) => {
      if (choices.length > 0) values.push([`${node.path}|${i + 1}`, set(choices)]);
    });
  }
  return caseFunction('_taskgate_takes_value', takesValue, 'return 1') + caseFunction('_taskgate_values', values, none);
}

// Both shells walk the words before the cursor the same way: an option that takes a value skips the
// next word; a word naming a subcommand of the command so far descends into it; any other word is
// a positional argument of that command (counted, for arguments with fixed choices).

/** The bash script (bash 3.2 and later: no associative arrays). */
export function bashScript(nodes: CompletionNode[]): string {
  const words = (list: string[]) => `echo ${quote(list.join(' '))}`;
  return `# bash completion for taskgate, generated from its commands: source <(taskgate completion bash)
${caseFunction(
  '_taskgate_commands',
  nodes.filter((n) => n.commands.length > 0).map((n) => [n.path, words(n.commands.map((c) => c.name))]),
  ':',
)}\
${caseFunction(
  '_taskgate_options',
  nodes.map((n) => [n.path, words(n.options.flatMap((o) => o.names))]),
  ':',
)}\
${valueTables(nodes, (values) => words([...values]), ':')}\
_taskgate() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} cmd='' word i args=0 candidates
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=\${COMP_WORDS[i]}
    if [[ $word == -* ]]; then
      if _taskgate_takes_value "$cmd|$word"; then i=$((i + 1)); fi
      continue
    fi
    case " $(_taskgate_commands "$cmd") " in
      *" $word "*) cmd=\${cmd:+$cmd }$word; args=0 ;;
      *) args=$((args + 1)) ;;
    esac
  done
  if [[ $prev == -* ]] && _taskgate_takes_value "$cmd|$prev"; then
    candidates=$(_taskgate_values "$cmd|$prev")
  elif [[ $cur == -* ]]; then
    candidates=$(_taskgate_options "$cmd")
  else
    candidates=$(_taskgate_commands "$cmd")
    [[ -n $candidates ]] || candidates=$(_taskgate_values "$cmd|$((args + 1))")
  fi
  COMPREPLY=($(compgen -W "$candidates" -- "$cur"))
}
complete -o default -F _taskgate taskgate
`;
}

/** The zsh script: commands and options with their descriptions. */
export function zshScript(nodes: CompletionNode[]): string {
  const described = (items: Array<{ name: string; description: string }>) =>
    `items=(${items.map((item) => quote(`${item.name.replace(/:/g, '\\:')}:${oneLine(item.description)}`)).join(' ')})`;
  return `#compdef taskgate
# zsh completion for taskgate, generated from its commands: source <(taskgate completion zsh) (after compinit)
${caseFunction(
  '_taskgate_commands',
  nodes.filter((n) => n.commands.length > 0).map((n) => [n.path, described(n.commands)]),
  'items=()',
)}\
${caseFunction(
  '_taskgate_options',
  nodes.map((n) => [n.path, described(n.options.flatMap((o) => o.names.map((name) => ({ name, description: o.description }))))]),
  'items=()',
)}\
${valueTables(nodes, (values) => `items=(${values.map(quote).join(' ')})`, 'items=()')}\
_taskgate() {
  local cmd='' word i args=0 prev=\${words[CURRENT-1]}
  local -a items names
  for ((i = 2; i < CURRENT; i++)); do
    word=\${words[i]}
    if [[ $word == -* ]]; then
      if _taskgate_takes_value "$cmd|$word"; then i=$((i + 1)); fi
      continue
    fi
    _taskgate_commands "$cmd"
    names=(\${items%%:*})
    if (( \${names[(Ie)$word]} )); then cmd=\${cmd:+$cmd }$word; args=0; else args=$((args + 1)); fi
  done
  if [[ $prev == -* ]] && _taskgate_takes_value "$cmd|$prev"; then
    _taskgate_values "$cmd|$prev"
    if (( \${#items} )); then compadd -a items; else _files; fi
  elif [[ \${words[CURRENT]} == -* ]]; then
    _taskgate_options "$cmd"
    _describe -t options option items
  else
    _taskgate_commands "$cmd"
    if (( \${#items} )); then _describe -t commands command items; return; fi
    _taskgate_values "$cmd|$((args + 1))"
    if (( \${#items} )); then compadd -a items; else _files; fi
  fi
}
if [[ \${zsh_eval_context[-1]} == loadautofunc ]]; then _taskgate "$@"; else compdef _taskgate taskgate; fi
`;
}
