import fs from 'node:fs';
import { defineConfig } from 'vitest/config';

/**
 * Two tiers, both run by `npm test` (and so by CI): `fast` builds the app in the test's own process and
 * talks to it over HTTP; `slow` starts real processes (the server, the CLI, a browser, a cluster, faults).
 * A test is slow by what it does, read from its source, so a new or moved test lands in the right tier.
 */
const SLOW_FOLDERS = /^test\/(cli|cluster|faults|web)\//;
const STARTS_A_PROCESS = /from 'node:child_process'|\b(startServerProcess|runNode|openBrowser)\(/;

function isSlow(file: string): boolean {
  return SLOW_FOLDERS.test(file) || STARTS_A_PROCESS.test(fs.readFileSync(file, 'utf8'));
}

const TESTS = 'test/**/*.test.ts';
const slowTests = fs
  .readdirSync('test', { recursive: true, encoding: 'utf8' })
  .map((file) => `test/${file.replaceAll('\\', '/')}`)
  .filter((file) => file.endsWith('.test.ts') && isSlow(file));

export default defineConfig({
  test: {
    globalSetup: ['test/helpers/global-setup.ts'],
    // better-sqlite3 is a native addon: separate processes are safer than worker threads.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'fast', include: [TESTS], exclude: slowTests } },
      { extends: true, test: { name: 'slow', include: slowTests } },
    ],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'json-summary'],
      // A floor just under what the whole suite reached in CI on 2026-12-02 (lines 76.7%, functions 76.8%,
      // statements 74.7%, branches 66.3%; code run by server processes the tests start is not counted).
      thresholds: { lines: 75, functions: 75, statements: 73, branches: 64 },
    },
  },
});
