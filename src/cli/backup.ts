import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import SQLite from 'better-sqlite3';
import { isPostgresUrl, type Config } from '../config/config.js';
import { migrations } from '../db/migrations/index.js';
import { KEY_FILE_NAME, SecretBox } from '../webhooks/secret-box.js';

/** A malformed command line: the CLI prints the usage and exits 2. */
export class UsageError extends Error {}

const PRIVATE = 0o600;
// The row webhooks/key-check.ts keeps the key's check value in.
const KEY_CHECK_NAME = 'webhook_secrets';
const HEADLINE_TABLES = ['users', 'workspaces', 'projects', 'tasks', 'webhooks'];

type KeyConfig = Pick<Config, 'encryptionKey' | 'dataDir'>;

function options<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], spec: T) {
  try {
    return parseArgs({ args, options: spec, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

function codeOf(err: unknown): unknown {
  return typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
}

/** The SQLite file DATABASE_URL names (as db/database.ts reads it). */
function sqliteFile(config: Config): string {
  const file = config.databaseUrl.replace(/^sqlite:(\/\/)?/, '');
  if (file === ':memory:') throw new Error('DATABASE_URL names an in-memory database: there is no file to back up or restore');
  return path.resolve(file);
}

function keyFileOf(config: KeyConfig): string {
  return path.join(config.dataDir, KEY_FILE_NAME);
}

function keyName(config: KeyConfig): string {
  return config.encryptionKey ? 'TASKGATE_ENCRYPTION_KEY' : `the key file ${keyFileOf(config)}`;
}

function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** What a database holds, read from a copy that passed its integrity check. */
interface Contents {
  rows: Map<string, number>;
  migrations: string[];
  /** The check value of the key its webhook secrets are encrypted with (webhooks/key-check.ts), if stored. */
  keyCheck: string | null;
}

function totalRows(contents: Contents): number {
  return [...contents.rows.values()].reduce((sum, n) => sum + n, 0);
}

function describeContents(contents: Contents): string {
  const headline = HEADLINE_TABLES.filter((t) => contents.rows.has(t)).map((t) => `${t} ${contents.rows.get(t)}`);
  return `${contents.rows.size} tables, ${totalRows(contents)} rows (${headline.join(', ')})`;
}

function readContents(db: SQLite.Database): Contents {
  const tables = db
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by name")
    .pluck()
    .all() as string[];
  const rows = new Map(
    tables.map((t) => [
      t,
      db
        .prepare(`select count(*) from "${t.replaceAll('"', '""')}"`)
        .pluck()
        .get() as number,
    ]),
  );
  const applied = rows.has('kysely_migration')
    ? (db.prepare('select name from kysely_migration order by name').pluck().all() as string[])
    : [];
  const keyCheck = rows.has('webhook_key_check')
    ? ((db.prepare('select check_value from webhook_key_check where name = ?').pluck().get(KEY_CHECK_NAME) as string | undefined) ?? null)
    : null;
  return { rows, migrations: applied, keyCheck };
}

/** Runs SQLite's integrity check on a copy and reads what it holds; throws unless the check says `ok`. */
function checkedContents(file: string, label: string): Contents {
  const db = new SQLite(file, { fileMustExist: true });
  try {
    let problems: string[];
    try {
      problems = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((row) => row.integrity_check);
    } catch (err) {
      throw new Error(`${label} is not a readable SQLite database (${err instanceof Error ? err.message : String(err)})`);
    }
    if (problems.length !== 1 || problems[0] !== 'ok') {
      const shown = problems
        .slice(0, 3)
        .join('; ')
        .replace(/\s*\n\s*/g, ' ');
      throw new Error(`${label} failed SQLite's integrity check: ${shown}${problems.length > 3 ? '; …' : ''}`);
    }
    return readContents(db);
  } finally {
    db.close();
  }
}

type KeyState = 'matches' | 'differs' | 'missing' | 'unverifiable' | 'not needed';

/** Whether the key this configuration would use is the one the database's webhook secrets are encrypted with. */
function keyState(config: KeyConfig, contents: Contents): KeyState {
  const webhooks = contents.rows.get('webhooks') ?? 0;
  if (contents.keyCheck === null) return webhooks > 0 ? 'unverifiable' : 'not needed';
  let key: Buffer;
  if (config.encryptionKey) key = Buffer.from(config.encryptionKey, 'base64');
  else if (fs.existsSync(keyFileOf(config))) key = Buffer.from(fs.readFileSync(keyFileOf(config), 'utf8').trim(), 'base64');
  else return 'missing';
  try {
    return new SecretBox(key).keyCheck() === contents.keyCheck ? 'matches' : 'differs';
  } catch {
    return 'differs';
  }
}

function backupKeyNote(config: KeyConfig, contents: Contents): string {
  const keep =
    'keep a copy of that key too, apart from the backup. A restored database needs it; the server refuses to start with another.';
  switch (keyState(config, contents)) {
    case 'matches':
    case 'unverifiable':
    case 'not needed':
      return `Webhook signing secrets are encrypted with ${keyName(config)}: ${keep}`;
    case 'differs':
      return (
        `Warning: ${keyName(config)} is not the key this database's webhook signing secrets are encrypted with (run backup ` +
        `with the server's TASKGATE_DATA_DIR and TASKGATE_ENCRYPTION_KEY): keep the server's key with the backup, a restore ` +
        `needs it.`
      );
    case 'missing':
      return (
        `Warning: there is no encryption key at ${keyFileOf(config)} (run backup with the server's TASKGATE_DATA_DIR, or ` +
        `TASKGATE_ENCRYPTION_KEY): keep the server's key with the backup, a restore needs it.`
      );
  }
}

function restoreKeyNote(config: KeyConfig, contents: Contents): string {
  const refuses = 'the server refuses to start with another.';
  switch (keyState(config, contents)) {
    case 'matches':
      return `Its webhook signing secrets are encrypted with ${keyName(config)}, the key this server uses.`;
    case 'not needed':
      return 'It holds no webhook signing secrets: any encryption key will do.';
    case 'unverifiable':
      return `Its webhook signing secrets need the key of the server the backup was taken from: ${keyName(config)} must be that key.`;
    case 'differs':
      return (
        `Before starting the server: its webhook signing secrets are encrypted with another key than ${keyName(config)}. Put ` +
        `back the key of the server the backup was taken from (its data dir's ${KEY_FILE_NAME}, or its ` +
        `TASKGATE_ENCRYPTION_KEY); ${refuses}`
      );
    case 'missing':
      return (
        `Before starting the server: copy the ${KEY_FILE_NAME} of the server the backup was taken from to ${keyFileOf(config)} ` +
        `(or set TASKGATE_ENCRYPTION_KEY to its key): its webhook signing secrets are encrypted with it, and ${refuses}`
      );
  }
}

function postgresBackupAdvice(config: Config, out: string): string {
  const schema = config.databaseSchema ? ` --schema=${config.databaseSchema}` : '';
  return (
    "backup copies SQLite databases only, and this server uses PostgreSQL: back it up with PostgreSQL's own pg_dump, " +
    `which takes a consistent snapshot while the server keeps running: pg_dump --format=custom${schema} --file=${out} "$DATABASE_URL" ` +
    `(restore it, with the server stopped, with pg_restore --clean --if-exists --dbname="$DATABASE_URL" ${out}). ` +
    `Keep the encryption key too, apart from the dump: webhook signing secrets are encrypted with TASKGATE_ENCRYPTION_KEY or, ` +
    `when it is not set, the key file ${keyFileOf(config)}, and a server started on the restored database with another key ` +
    `refuses to start.`
  );
}

function postgresRestoreAdvice(config: Config, from: string): string {
  return (
    'restore puts back SQLite backups only, and this server uses PostgreSQL: stop the server, restore a pg_dump archive ' +
    `with pg_restore --clean --if-exists --dbname="$DATABASE_URL" ${from}, then start the server with the encryption key ` +
    `it had when the dump was taken (TASKGATE_ENCRYPTION_KEY, or the key file ${keyFileOf(config)}): webhook signing secrets ` +
    `are encrypted with it, and the server refuses to start with another.`
  );
}

/** A fresh name beside `file` (same folder, so a rename onto `file` is atomic), created empty and 0600. */
function createPrivateTemp(file: string, purpose: string): string {
  const temp = `${file}.${purpose}-${randomBytes(4).toString('hex')}`;
  try {
    fs.closeSync(fs.openSync(temp, 'wx', PRIVATE));
  } catch (err) {
    if (codeOf(err) === 'ENOENT') throw new Error(`the folder ${path.dirname(file)} does not exist`);
    throw err;
  }
  return temp;
}

/** Copies into a file created 0600 (copyFile would give it the source's mode). */
function copyInto(from: string, to: string): void {
  const input = fs.openSync(from, 'r');
  const output = fs.openSync(to, 'w', PRIVATE);
  try {
    const chunk = Buffer.allocUnsafe(1 << 20);
    for (let n = fs.readSync(input, chunk); n > 0; n = fs.readSync(input, chunk)) fs.writeSync(output, chunk, 0, n);
  } finally {
    fs.closeSync(input);
    fs.closeSync(output);
  }
}

/** Sets the mode exactly (the umask may have taken bits off) and flushes the file to disk. */
function seal(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fchmodSync(fd, PRIVATE);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function syncFolder(folder: string): void {
  const fd = fs.openSync(folder, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function removeQuietly(file: string): void {
  for (const name of [file, `${file}-journal`, `${file}-wal`, `${file}-shm`]) fs.rmSync(name, { force: true });
}

function sameFile(a: string, b: string): boolean {
  try {
    const [x, y] = [fs.statSync(a), fs.statSync(b)];
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return path.resolve(a) === path.resolve(b);
  }
}

/** Refuses an --out that exists (unless forced, and never a folder), or that is the live database or one of its files. */
function refuseOut(out: string, database: string, force: boolean): void {
  if ([database, `${database}-wal`, `${database}-shm`, `${database}-journal`].some((f) => sameFile(out, f))) {
    throw new Error(`${out} is the live database (or one of its files): choose another --out`);
  }
  const existing = fs.statSync(out, { throwIfNoEntry: false });
  if (!existing) return;
  if (!existing.isFile()) throw new Error(`${out} exists and is not a file: choose another --out`);
  if (!force) throw new Error(`${out} already exists: choose another --out, or add --force to replace it`);
}

/** Puts the finished copy at `out`: atomically replacing it when forced, never overwriting it otherwise. */
function putInPlace(temp: string, out: string, force: boolean): void {
  if (force) {
    fs.renameSync(temp, out);
  } else {
    try {
      // link() fails when `out` exists, even if it appeared while the copy was being made.
      fs.linkSync(temp, out);
      fs.unlinkSync(temp);
    } catch (err) {
      if (codeOf(err) === 'EEXIST' || fs.existsSync(out))
        throw new Error(`${out} already exists: choose another --out, or add --force to replace it`);
      // A file system without hard links: nothing was there a moment ago.
      fs.renameSync(temp, out);
    }
  }
  syncFolder(path.dirname(out));
}

function openExisting(file: string): SQLite.Database {
  if (!fs.existsSync(file)) {
    throw new Error(`there is no database at ${file}: run this with the server's environment (DATABASE_URL, TASKGATE_DATA_DIR)`);
  }
  const db = new SQLite(file, { fileMustExist: true });
  // The server (or another command) may be writing: wait for a lock rather than fail.
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * `taskgate backup --out FILE [--force]`: a consistent copy of the SQLite database, taken while the server
 * keeps running. VACUUM INTO reads one snapshot (in WAL mode writers go on meanwhile) into a file that must
 * not exist yet or be empty: a 0600 file created beside FILE, checked, then moved onto FILE.
 */
export async function backupCommand(config: Config, args: string[]): Promise<string> {
  const { out, force } = options(args, { out: { type: 'string' }, force: { type: 'boolean' } });
  if (!out) throw new UsageError('backup needs --out FILE');
  if (isPostgresUrl(config.databaseUrl)) throw new Error(postgresBackupAdvice(config, out));
  const database = sqliteFile(config);
  const target = path.resolve(out);
  refuseOut(target, database, force === true);

  const source = openExisting(database);
  const temp = createPrivateTemp(target, 'partial');
  try {
    try {
      source.prepare('VACUUM INTO ?').run(temp);
    } finally {
      source.close();
    }
    seal(temp);
    const contents = checkedContents(temp, 'the copy');
    putInPlace(temp, target, force === true);
    const size = fs.statSync(target).size;
    return [
      `Backed up ${database} to ${target} (${humanSize(size)}, mode 0600, integrity check ok): ${describeContents(contents)}.`,
      backupKeyNote(config, contents),
    ].join('\n');
  } finally {
    removeQuietly(temp);
  }
}

/**
 * Opens the live database as its only user, or refuses. In WAL mode every open connection, an idle
 * server's included, holds a shared lock on the file, which `BEGIN EXCLUSIVE` alone does not wait for
 * (WAL lets readers and one writer share the file). With `locking_mode = EXCLUSIVE` the connection must
 * take the file's exclusive lock instead, and it gets it only while no other connection has the file open;
 * it keeps it until closed.
 */
function openAlone(file: string): SQLite.Database {
  const db = new SQLite(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 1000');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return db;
  } catch (err) {
    db.close();
    if (codeOf(err) === 'SQLITE_BUSY') {
      throw new Error(
        `${file} is in use by another process (a running Taskgate server, or another taskgate command): stop the server, ` +
          `then run restore again. Nothing was changed.`,
      );
    }
    throw err;
  }
}

function timestamp(): string {
  return new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

function freeName(base: string): string {
  let name = base;
  for (let n = 1; fs.existsSync(name); n++) name = `${base}-${n}`;
  return name;
}

/** Refuses a journal left beside a missing database: SQLite would apply it to the restored file. */
function refuseOrphanJournals(database: string): void {
  for (const name of [`${database}-wal`, `${database}-journal`]) {
    if (fs.existsSync(name))
      throw new Error(`${name} is left over beside a missing database: move it away, then run restore again. Nothing was changed.`);
  }
}

/**
 * Moves the live database aside while holding it alone. Its WAL is folded into it first (journal_mode
 * DELETE), so the file moved aside is complete by itself and no WAL is left for SQLite to apply to the
 * restored file; a stale shared-memory file goes too.
 */
function moveAside(database: string): string {
  const aside = freeName(`${database}.before-restore-${timestamp()}`);
  const live = openAlone(database);
  try {
    live.pragma('journal_mode = DELETE');
    fs.renameSync(database, aside);
    fs.rmSync(`${database}-shm`, { force: true });
  } finally {
    live.close();
  }
  return aside;
}

function checkMigrations(contents: Contents, from: string): number {
  if (!contents.rows.has('kysely_migration'))
    throw new Error(`${from} is a SQLite database, but not a Taskgate one (it has no kysely_migration table)`);
  const unknown = contents.migrations.find((name) => !(name in migrations));
  if (unknown)
    throw new Error(
      `${from} was taken by a newer Taskgate (its schema change ${unknown} is unknown to this version): restore it with that ` +
        `version or a later one`,
    );
  return Object.keys(migrations).length - contents.migrations.length;
}

/**
 * `taskgate restore --from FILE`, with the server stopped: checks the backup, moves the current database
 * aside (`<file>.before-restore-<timestamp>`) and puts a 0600 copy of the backup in its place.
 */
export async function restoreCommand(config: Config, args: string[]): Promise<string> {
  const { from } = options(args, { from: { type: 'string' } });
  if (!from) throw new UsageError('restore needs --from FILE');
  if (isPostgresUrl(config.databaseUrl)) throw new Error(postgresRestoreAdvice(config, from));
  const database = sqliteFile(config);
  const backup = path.resolve(from);
  const stat = fs.statSync(backup, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw new Error(`${backup} is not a file`);
  if (sameFile(backup, database)) throw new Error(`${backup} is the database itself: nothing to restore`);

  // Refuse early, before copying a large backup, when a server has the database open (checked again below).
  const exists = fs.existsSync(database);
  if (exists) openAlone(database).close();
  else refuseOrphanJournals(database);

  fs.mkdirSync(path.dirname(database), { recursive: true, mode: 0o700 });
  const temp = createPrivateTemp(database, 'restoring');
  try {
    copyInto(backup, temp);
    seal(temp);
    const contents = checkedContents(temp, backup);
    const pending = checkMigrations(contents, backup);
    const aside = exists ? moveAside(database) : null;
    try {
      fs.renameSync(temp, database);
    } catch (err) {
      if (aside) fs.renameSync(aside, database);
      throw err;
    }
    syncFolder(path.dirname(database));
    return [
      `Restored ${backup} into ${database} (${humanSize(fs.statSync(database).size)}, mode 0600, integrity check ok): ` +
        `${describeContents(contents)}.`,
      aside
        ? `The previous database is now ${aside}; delete it once the restored one serves you well.`
        : 'There was no database there before.',
      pending > 0 ? `The backup predates ${pending} schema change(s): the server applies them when it starts.` : null,
      restoreKeyNote(config, contents),
    ]
      .filter((line) => line !== null)
      .join('\n');
  } finally {
    removeQuietly(temp);
  }
}
