import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers/server-process.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Extra environment (TASKGATE_URL, TASKGATE_TOKEN…); HOME and XDG_CONFIG_HOME point at `home`. */
  env?: Record<string, string>;
  /** Written to the command's standard input, which is then closed. */
  stdin?: string;
  /** The CLI's home: where it keeps credentials (a fresh one per test). */
  home?: string;
}

/** A fresh home folder for the CLI's stored credentials. */
export function cliHome(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-cli-home-'));
}

/** Runs `taskgate …` exactly as a user does (`bin/taskgate.js`), as its own process. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const home = options.home ?? cliHome();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/taskgate.js'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), NO_COLOR: '1', ...options.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(options.stdin ?? '');
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
