import fs from 'node:fs';
import type { Command } from 'commander';
import { CliError, EXIT } from '../lib/exit-codes.js';
import { warnIfExpiringSoon } from '../lib/expiry.js';
import { nodeFetch } from '../lib/http-transport.js';
import { readStdin } from '../lib/input.js';
import { authenticatedClient, resolveTarget, USER_AGENT } from '../lib/session.js';
import { collect } from './options.js';

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** `--field k=v`: numbers, booleans and null are JSON, anything else a string; `k=@file` reads a file. */
function fieldValue(raw: string): unknown {
  if (raw.startsWith('@')) return fs.readFileSync(raw.slice(1), 'utf8');
  if (/^(true|false|null|-?(0|[1-9][0-9]*)(\.[0-9]+)?)$/.test(raw)) return JSON.parse(raw) as unknown;
  return raw;
}

function bodyOf(fields: string[] | undefined, input: string | undefined): Promise<string | undefined> | string | undefined {
  if (input !== undefined) return input === '-' ? readStdin() : fs.readFileSync(input, 'utf8');
  if (!fields) return undefined;
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    const at = field.indexOf('=');
    if (at <= 0) throw new CliError(`--field takes key=value, not ${field}`, EXIT.usage);
    body[field.slice(0, at)] = fieldValue(field.slice(at + 1));
  }
  return JSON.stringify(body);
}

/** `taskgate api METHOD PATH`: an authenticated call of any route, like `gh api`; the answer goes to stdout. */
export function apiCommand(program: Command): void {
  program
    .command('api <method> <path>')
    .description('Call any route with your credential and print the answer (e.g. `taskgate api GET /api/v1/me`)')
    .option('-f, --field <key=value>', 'a JSON body field (repeat); numbers, true/false/null typed, @file reads a file', collect)
    .option('--input <file>', 'the JSON body from a file, or - for stdin')
    .option('-H, --header <name:value>', 'an extra request header (repeat)', collect)
    .action(async (method: string, path: string, options: { field?: string[]; input?: string; header?: string[] }) => {
      const verb = method.toUpperCase();
      if (!METHODS.has(verb)) throw new CliError(`Unknown method ${method}: use GET, POST, PUT, PATCH or DELETE`, EXIT.usage);
      if (!path.startsWith('/')) throw new CliError('The path starts with /, e.g. /api/v1/me', EXIT.usage);
      authenticatedClient();
      const target = resolveTarget();
      const body = await bodyOf(options.field, options.input);
      const headers: Record<string, string> = { authorization: `Bearer ${target.token}`, 'user-agent': USER_AGENT };
      if (body !== undefined) headers['content-type'] = 'application/json';
      for (const header of options.header ?? []) {
        const at = header.indexOf(':');
        if (at <= 0) throw new CliError(`--header takes name:value, not ${header}`, EXIT.usage);
        headers[header.slice(0, at).trim().toLowerCase()] = header.slice(at + 1).trim();
      }
      const response = await nodeFetch(
        new Request(`${target.url}${path}`, { method: verb, headers, ...(body !== undefined ? { body } : {}) }),
      );
      warnIfExpiringSoon(response.headers);
      const text = await response.text();
      process.stdout.write(text.endsWith('\n') || text === '' ? text : `${text}\n`);
      if (!response.ok) process.exitCode = response.status === 401 ? EXIT.notAuthenticated : EXIT.error;
    });
}
