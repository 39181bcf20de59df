import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

export interface Cleanups {
  /** Runs `undo` after the current test, after whatever was pushed later. */
  push(undo: () => Promise<void>): void;
  /** A fresh temporary folder, removed after the current test. */
  tempDir(): string;
}

/** Per-test clean-up for a test file (server processes, schemas, folders): call it once, at the top. */
export function cleanupsAfterEach(prefix = 'taskgate-'): Cleanups {
  const pending: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (pending.length) await pending.pop()!();
  });
  return {
    push: (undo) => void pending.push(undo),
    tempDir() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
      pending.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
      return dir;
    },
  };
}
