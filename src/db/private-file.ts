import fs from 'node:fs';
import path from 'node:path';

/**
 * Makes a new SQLite database file readable by its owner alone (0600), in a folder only the owner can
 * enter (0700) when the folder is new; the webhook key beside it is 0600 too. SQLite gives the -wal and
 * -shm files it creates the database file's permissions, so they follow. An existing file or folder
 * keeps the permissions its owner chose.
 */
export function createPrivateFile(file: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
  try {
    fs.closeSync(fs.openSync(file, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}
