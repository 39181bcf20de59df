import { setTimeout as sleep } from 'node:timers/promises';
import type { Event, Paginated, Taskgate } from '@taskgate/client';
import { Option, type Command } from 'commander';
import { dim } from '../lib/output.js';
import { positiveInteger } from './options.js';
import { inWorkspace, withWorkspace, type WorkspaceOption } from './scope.js';

const POLL_MS = 2_000;

interface TailOptions extends WorkspaceOption {
  type?: string;
  last: number;
  json?: boolean;
  maxPolls?: number;
}

/** What an event is about, in a word or two: a task's title, a project's name, a token's label. */
function subject(event: Event): string {
  for (const key of ['title', 'name', 'label']) {
    const value = event.data[key];
    if (typeof value === 'string') return JSON.stringify(value);
  }
  return '';
}

function printEvent(event: Event, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(event)}\n`);
    return;
  }
  const time = event.createdAt.slice(0, 19).replace('T', ' ');
  const by = `${event.actor.type} ${event.actor.id}`;
  const line = `${dim(time)}  ${event.type.padEnd(20)}  ${event.resourceId}  ${subject(event)}  ${dim(`by ${by}`)}`.trimEnd();
  process.stdout.write(`${line}\n`);
}

/** The events newer than `seen` (the newest printed so far), newest first, walking pages as far as needed. */
async function newerThan(list: Paginated<Event>, seen: Event | undefined): Promise<Event[]> {
  const fresh: Event[] = [];
  for await (const event of list) {
    // An event older than the last one printed also ends the walk, should that one have been purged.
    if (seen && (event.id === seen.id || event.createdAt < seen.createdAt)) break;
    fresh.push(event);
  }
  return fresh;
}

async function tail(tg: Taskgate, workspaceId: string, options: TailOptions): Promise<void> {
  const query = options.type ? { type: options.type } : {};
  const { items } = await tg.events.list(workspaceId, { ...query, limit: options.last }).page();
  let newest = items[0];
  for (const event of items.toReversed()) printEvent(event, options.json === true);
  process.stderr.write(`${dim(`Watching ${workspaceId} for new events every ${POLL_MS / 1000} s; Ctrl-C to stop.`)}\n`);
  for (let polls = 0; options.maxPolls === undefined || polls < options.maxPolls; polls++) {
    await sleep(POLL_MS);
    const fresh = await newerThan(tg.events.list(workspaceId, { ...query, limit: 100 }), newest);
    if (fresh.length === 0) continue;
    newest = fresh[0];
    for (const event of fresh.toReversed()) printEvent(event, options.json === true);
  }
}

/** `taskgate events tail`: the workspace's events as they happen. */
export function eventCommands(program: Command): void {
  const events = program.command('events').description("A workspace's event history");

  withWorkspace(
    events.command('tail').description('Print the latest events, oldest first, then new ones as they happen, until interrupted'),
  )
    .option('--type <type>', 'only events of this type, e.g. task.created')
    .option('--last <n>', 'how many past events to print first (at most 200)', positiveInteger, 10)
    .option('--json', 'print one JSON object per line')
    // For tests and scripts: stop after this many polls rather than at Ctrl-C.
    .addOption(new Option('--max-polls <n>').argParser(positiveInteger).hideHelp())
    .addHelpText(
      'after',
      `
This polls the event list every ${POLL_MS / 1000} s: the server has no live event stream yet. Needs events:read.`,
    )
    .action(async (options: TailOptions) => {
      const { tg, workspaceId } = await inWorkspace(options);
      await tail(tg, workspaceId, options);
    });
}
