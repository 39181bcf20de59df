import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from './server-process.js';

const CHROMIUM = '/usr/bin/chromium';

/** Browser tests need Debian's Chromium: CI installs it (.ci/run); elsewhere they are skipped without it. */
export const browserAvailable = fs.existsSync(CHROMIUM) || process.env.CI === 'true';

/** Where browser tests leave their screenshots (git-ignored). */
const SCREENSHOT_DIR = path.join(ROOT, 'test-results/screenshots');

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  problems: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** A fresh Chromium profile, with the flags this machine's closed network needs. */
export async function openBrowser(): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'taskgate-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    viewport: { width: 1280, height: 800 },
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // Shorter than a test's timeout, so a missing element fails with its locator rather than a bare timeout.
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
  page.on('requestfailed', (request) =>
    problems.push(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`),
  );
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  return {
    context,
    page,
    problems,
    async screenshot(name) {
      fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const file = path.join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      // What the page showed last: the first thing to look at when a browser test fails.
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'last-page.png') }).catch(() => undefined);
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
