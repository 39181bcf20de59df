import { randomBytes } from 'node:crypto';

/** Every id prefix in one place, so an id in a log line says what it names. */
const ID_PREFIXES = {
  user: 'usr',
  session: 'ses',
  workspace: 'wsp',
  space: 'spc',
  project: 'prj',
  task: 'tsk',
  label: 'lbl',
  event: 'evt',
  personalToken: 'pat',
  workspaceToken: 'wat',
  agent: 'agt',
  agentToken: 'atk',
  delegatedToken: 'dtk',
  auditEntry: 'aud',
  webhook: 'whk',
  delivery: 'dlv',
  attempt: 'att',
  invitation: 'inv',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

function encodeTime(ms: number): string {
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

/** A prefixed id that sorts by creation time (ULID-like): `tsk_01j…`. */
export function newId(kind: IdKind): string {
  const random = randomBytes(10);
  let tail = '';
  for (const byte of random) tail += CROCKFORD[byte & 31];
  return `${ID_PREFIXES[kind]}_${encodeTime(Date.now())}${tail}`;
}
