import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Taskgate, verifyWebhook } from '../../packages/client/src/index.js';
import { userWithProject } from '../client/server.js';
import { cleanupsAfterEach } from '../helpers/cleanups.js';
import { dialectEnv, enabledDialects } from '../helpers/harness.js';
import { freshSchemaName } from '../helpers/postgres.js';
import { startServerProcess } from '../helpers/server-process.js';
import { Receiver } from '../webhooks/receiver.js';
import { runCli } from './run.js';

const cleanups = cleanupsAfterEach('taskgate-backup-');
const tempDir = () => cleanups.tempDir();

/** A data dir on SQLite: the environment a server and the CLI share to find the same database and key. */
function sqliteSetup() {
  const dataDir = tempDir();
  return { dataDir, env: dialectEnv('sqlite', dataDir, ''), database: path.join(dataDir, 'taskgate.sqlite') };
}

/** Runs `use` against a server process on `env`, stopped afterwards whatever happens. */
async function withServer<T>(env: Record<string, string>, use: (url: string) => Promise<T>): Promise<T> {
  const server = await startServerProcess(env);
  try {
    return await use(server.url);
  } finally {
    await server.stop();
  }
}

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function taskIdsIn(file: string): Set<string> {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    return new Set(db.prepare('select id from tasks').pluck().all() as string[]);
  } finally {
    db.close();
  }
}

const inUse = (database: string) =>
  `taskgate: ${database} is in use by another process (a running Taskgate server, or another taskgate command): ` +
  'stop the server, then run restore again. Nothing was changed.\n';

describe('taskgate backup and restore [sqlite]', () => {
  it('copies the database while the server keeps writing: integrity ok, mode 0600, every task acknowledged before it started', async () => {
    const { dataDir, env, database } = sqliteSetup();
    await withServer(env, async (url) => {
      const { tg, project } = await userWithProject(url);
      const acknowledged: string[] = [];
      let writing = true;
      const writer = async () => {
        while (writing) acknowledged.push((await tg.tasks.create({ projectId: project.id, title: `Task ${acknowledged.length}` })).id);
      };
      const writers = [writer(), writer(), writer()];
      while (acknowledged.length < 30) await new Promise((resolve) => setTimeout(resolve, 5));

      const before = [...acknowledged];
      const out = path.join(tempDir(), 'taskgate-backup.sqlite');
      const result = await runCli(['backup', '--out', out], { env });
      const writtenMeanwhile = acknowledged.length - before.length;
      writing = false;
      await Promise.all(writers);

      expect(result.code, result.stderr).toBe(0);
      expect(writtenMeanwhile).toBeGreaterThan(0);
      expect(modeOf(out)).toBe(0o600);
      expect(fs.readdirSync(path.dirname(out))).toEqual(['taskgate-backup.sqlite']);
      const copied = taskIdsIn(out);
      expect(before.filter((id) => !copied.has(id))).toEqual([]);
      // One snapshot taken mid-stream: more than was acknowledged before, less than all, nothing unknown.
      expect(copied.size).toBeGreaterThan(before.length);
      expect(copied.size).toBeLessThan(acknowledged.length);
      expect([...copied].filter((id) => !acknowledged.includes(id))).toEqual([]);

      expect(result.stdout).toMatch(
        new RegExp(
          `^Backed up ${escapeRegExp(database)} to ${escapeRegExp(out)} \\(\\d+\\.\\d [KM]iB, mode 0600, integrity check ok\\): ` +
            `\\d+ tables, \\d+ rows \\(users 1, workspaces 1, projects 1, tasks ${copied.size}, webhooks 0\\)\\.\n`,
        ),
      );
      expect(result.stdout.split('\n')[1]).toBe(
        `Webhook signing secrets are encrypted with the key file ${dataDir}/encryption.key: ` +
          'keep a copy of that key too, apart from the backup. ' +
          'A restored database needs it; the server refuses to start with another.',
      );
    });
  });

  it('restores over the same database after more writes once the server stops (refused while up), the later state kept aside', async () => {
    const { env, dataDir, database } = sqliteSetup();
    const out = path.join(tempDir(), 'backup.sqlite');
    const { sessionToken, kept, later } = await withServer(env, async (url) => {
      const { tg, project, sessionToken } = await userWithProject(url);
      const kept = await Promise.all([1, 2, 3].map((n) => tg.tasks.create({ projectId: project.id, title: `Kept ${n}` })));
      expect((await runCli(['backup', '--out', out], { env })).code).toBe(0);
      const later = await tg.tasks.create({ projectId: project.id, title: 'After the backup' });

      const refused = await runCli(['restore', '--from', out], { env });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(inUse(database));
      expect(fs.readdirSync(dataDir).filter((f) => f.includes('restor'))).toEqual([]);
      expect((await tg.tasks.get(later.id)).title).toBe('After the backup');
      return { sessionToken, kept, later };
    });

    const restored = await runCli(['restore', '--from', out], { env });
    expect(restored.code, restored.stderr).toBe(0);
    const aside = fs.readdirSync(dataDir).find((f) => f.startsWith('taskgate.sqlite.before-restore-'))!;
    expect(aside).toMatch(/^taskgate\.sqlite\.before-restore-\d{8}T\d{6}Z$/);
    expect(fs.readdirSync(dataDir).sort()).toEqual(['encryption.key', 'taskgate.sqlite', aside]);
    const lines = restored.stdout.split('\n');
    expect(lines[0]).toMatch(
      new RegExp(
        `^Restored ${escapeRegExp(out)} into ${escapeRegExp(database)} \\(\\d+\\.\\d [KM]iB, mode 0600, integrity check ok\\): ` +
          '\\d+ tables, \\d+ rows \\(users 1, workspaces 1, projects 1, tasks 3, webhooks 0\\)\\.$',
      ),
    );
    expect(lines.slice(1)).toEqual([
      `The previous database is now ${path.join(dataDir, aside)}; delete it once the restored one serves you well.`,
      `Its webhook signing secrets are encrypted with the key file ${dataDir}/encryption.key, the key this server uses.`,
      '',
    ]);
    expect(modeOf(database)).toBe(0o600);
    expect(taskIdsIn(database)).toEqual(new Set(kept.map((t) => t.id)));
    // The database moved aside is complete by itself (its WAL was folded in): it has the later task.
    expect(taskIdsIn(path.join(dataDir, aside)).has(later.id)).toBe(true);

    await withServer(env, async (url) => {
      const tg = new Taskgate({ baseUrl: url, token: sessionToken });
      for (const task of kept) expect((await tg.tasks.get(task.id)).title).toBe(task.title);
      await expect(tg.tasks.get(later.id)).rejects.toMatchObject({ status: 404 });
    });
  });

  it("restores into a fresh data dir: the server starts only with the webhook secrets' key, then signs with the old secret", async () => {
    const receiver = await Receiver.start();
    try {
      const first = sqliteSetup();
      const fresh = sqliteSetup();
      const out = path.join(tempDir(), 'backup.sqlite');
      const { sessionToken, hook, task } = await withServer(first.env, async (url) => {
        const { tg, workspace, project, sessionToken } = await userWithProject(url);
        const hook = await tg.webhooks.create(workspace.id, { url: receiver.url, events: ['task.created'] });
        const task = await tg.tasks.create({ projectId: project.id, title: 'Backed up' });
        expect((await runCli(['backup', '--out', out], { env: first.env })).code).toBe(0);

        // Another server's database is not in the way: restoring into a fresh data dir goes ahead.
        const restored = await runCli(['restore', '--from', out], { env: fresh.env });
        expect(restored.code, restored.stderr).toBe(0);
        expect(restored.stdout.split('\n').slice(1)).toEqual([
          'There was no database there before.',
          'Before starting the server: copy the encryption.key of the server the backup was taken from ' +
            `to ${fresh.dataDir}/encryption.key (or set TASKGATE_ENCRYPTION_KEY to its key): ` +
            'its webhook signing secrets are encrypted with it, and the server refuses to start with another.',
          '',
        ]);
        expect(fs.readdirSync(fresh.dataDir)).toEqual(['taskgate.sqlite']);
        return { sessionToken, hook, task };
      });

      await expect(startServerProcess(fresh.env)).rejects.toThrow(
        `Cannot start Taskgate: the key generated in ${fresh.dataDir}/encryption.key ` +
          "is not the key this database's webhook secrets are encrypted with",
      );
      fs.copyFileSync(path.join(first.dataDir, 'encryption.key'), path.join(fresh.dataDir, 'encryption.key'));
      await withServer(fresh.env, async (url) => {
        const tg = new Taskgate({ baseUrl: url, token: sessionToken });
        expect((await tg.tasks.get(task.id)).title).toBe('Backed up');
        const queued = await tg.webhooks.test(hook.id);
        const [ping] = (await receiver.waitFor((all) => all.some((r) => r.headers['webhook-id'] === queued.messageId))).filter(
          (r) => r.headers['webhook-id'] === queued.messageId,
        );
        expect(await verifyWebhook(ping!.body, ping!.headers, hook.secret)).toMatchObject({ type: 'ping' });
      });
    } finally {
      await receiver.close();
    }
  });

  it('overwrites a file only with --force (else exit 1), never the live database; a bad command line exits 2', async () => {
    const { env, database } = sqliteSetup();
    await withServer(env, async (url) => {
      const { tg, project } = await userWithProject(url);
      const out = path.join(tempDir(), 'backup.sqlite');
      expect((await runCli(['backup', '--out', out], { env })).code).toBe(0);
      const firstCopy = fs.readFileSync(out);
      const task = await tg.tasks.create({ projectId: project.id, title: 'Newer' });

      const refused = await runCli(['backup', '--out', out], { env });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(`taskgate: ${out} already exists: choose another --out, or add --force to replace it\n`);
      expect(fs.readFileSync(out).equals(firstCopy)).toBe(true);
      expect(fs.readdirSync(path.dirname(out))).toEqual(['backup.sqlite']);

      const forced = await runCli(['backup', '--out', out, '--force'], { env });
      expect(forced.code, forced.stderr).toBe(0);
      expect(modeOf(out)).toBe(0o600);
      expect(taskIdsIn(out).has(task.id)).toBe(true);

      const live = await runCli(['backup', '--out', database, '--force'], { env });
      expect(live.code).toBe(1);
      expect(live.stderr).toBe(`taskgate: ${database} is the live database (or one of its files): choose another --out\n`);

      const usage = await runCli(['backup'], { env });
      expect(usage.code).toBe(2);
      expect(usage.stderr).toMatch(/^taskgate: backup needs --out FILE\nUsage:\n.*\n  taskgate backup --out FILE \[--force\] /s);
      expect((await runCli(['backup', '--out', out, '--overwrite'], { env })).code).toBe(2);
      expect((await runCli(['restore'], { env })).code).toBe(2);
    });
  });

  it('refuses a backup that fails its integrity check, leaving the database as it was', async () => {
    const { env, dataDir, database } = sqliteSetup();
    const out = path.join(tempDir(), 'backup.sqlite');
    await withServer(env, async (url) => {
      await userWithProject(url);
      expect((await runCli(['backup', '--out', out], { env })).code).toBe(0);
    });
    // An invalid page type on the last b-tree's root page: the check reports it rather than failing to open.
    const db = new SQLite(out, { readonly: true });
    const root = db.prepare('select max(rootpage) from sqlite_master').pluck().get() as number;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    const fd = fs.openSync(out, 'r+');
    fs.writeSync(fd, Buffer.from([0x55]), 0, 1, (root - 1) * pageSize);
    fs.closeSync(fd);
    const before = fs.readdirSync(dataDir).sort();
    const inode = fs.statSync(database).ino;

    const refused = await runCli(['restore', '--from', out], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `taskgate: ${out} failed SQLite's integrity check: ` +
        `*** in database main *** Tree ${root} page ${root}: btreeInitPage() returns error code 11\n`,
    );
    expect(fs.readdirSync(dataDir).sort()).toEqual(before);
    expect(fs.statSync(database).ino).toBe(inode);

    const notSqlite = path.join(tempDir(), 'notes.txt');
    fs.writeFileSync(notSqlite, 'not a database, but long enough to look like a header of one.\n'.repeat(100));
    const garbage = await runCli(['restore', '--from', notSqlite], { env });
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toBe(`taskgate: ${notSqlite} is not a readable SQLite database (file is not a database)\n`);
    expect(fs.readdirSync(dataDir).sort()).toEqual(before);
  });
});

describe.runIf(enabledDialects().includes('postgres'))('taskgate backup and restore [postgres]', () => {
  it('explains pg_dump, pg_restore and the encryption key, exits 1 and writes nothing', async () => {
    const dataDir = tempDir();
    const schema = freshSchemaName();
    const env = dialectEnv('postgres', dataDir, schema);
    const out = path.join(dataDir, 'taskgate.dump');

    const backup = await runCli(['backup', '--out', out], { env });
    expect(backup.code).toBe(1);
    expect(backup.stdout).toBe('');
    expect(backup.stderr).toMatch(/^taskgate: backup copies SQLite databases only, and this server uses PostgreSQL: /);
    expect(backup.stderr).toContain(`pg_dump --format=custom --schema=${schema} --file=${out} "$DATABASE_URL"`);
    expect(backup.stderr).toContain(`pg_restore --clean --if-exists --dbname="$DATABASE_URL" ${out}`);
    expect(backup.stderr).toContain(`the key file ${dataDir}/encryption.key`);
    expect(backup.stderr.trimEnd().split('\n')).toHaveLength(1);

    const restore = await runCli(['restore', '--from', out], { env });
    expect(restore.code).toBe(1);
    expect(restore.stderr).toMatch(/^taskgate: restore puts back SQLite backups only, and this server uses PostgreSQL: stop the server, /);
    expect(restore.stderr).toContain(`pg_restore --clean --if-exists --dbname="$DATABASE_URL" ${out}`);
    expect(restore.stderr).toContain(`the key file ${dataDir}/encryption.key`);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });
});
