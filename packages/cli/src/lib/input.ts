import readline from 'node:readline';

/** All of standard input, as text (a token piped in, a file for `scan -`). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Asks a question on stderr (stdout stays the command's output); hides what is typed when `secret`. */
export function ask(question: string, secret = false): Promise<string> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY === true });
    if (secret && process.stdin.isTTY) {
      // Echo nothing of the password: readline writes each keystroke through _writeToOutput.
      const muted = rl as unknown as { _writeToOutput: (text: string) => void };
      muted._writeToOutput = (text: string) => {
        if (text.includes(question)) process.stderr.write(text);
      };
    }
    rl.question(question, (answer) => {
      rl.close();
      if (secret && process.stdin.isTTY) process.stderr.write('\n');
      resolve(answer.trim());
    });
  });
}

/** The lines of standard input when it is not a terminal (a script answering the prompts). */
export async function stdinLines(): Promise<string[]> {
  return (await readStdin()).split(/\r?\n/).map((line) => line.trim());
}
