import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { Taskgate } from '../../packages/client/src/index.js';
import { openBrowser, type Browser } from '../helpers/browser.js';
import { ROOT } from '../helpers/server-process.js';

const AXE_SOURCE = fs.readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** A browser signed in as a user of the server at `url` (through the session cookie, as after a sign-in). */
export async function signedInBrowser(url: string, email: string, password: string): Promise<Browser> {
  const { sessionToken } = await new Taskgate({ baseUrl: url }).auth.login({ email, password });
  const browser = await openBrowser();
  const { hostname } = new URL(url);
  await browser.context.addCookies([
    { name: 'tg_session', value: sessionToken, domain: hostname, path: '/', httpOnly: true, sameSite: 'Lax' },
  ]);
  return browser;
}

/**
 * axe-core's serious and critical violations on the page. It is evaluated through the DevTools
 * protocol, which the page's CSP (script-src 'self') does not govern, so the CSP stays as served.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(`${AXE_SOURCE}\n;0`);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(
            context: unknown,
            options: unknown,
          ): Promise<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown }> }> }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.targets.join(' ')}`);
}

/** The page does not scroll sideways at a phone's width. */
export async function expectNoHorizontalScroll(page: Page, width = 375): Promise<void> {
  await page.setViewportSize({ width, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `the page scrolls ${overflow}px sideways at ${width}px`).toBeLessThanOrEqual(0);
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** How long `expect.poll` waits for the page to get there: as long as a locator (a page, its lazy chunk and its queries load first). */
export const eventually = { timeout: 10_000 };

/** A live event stream the page ended by leaving (or a reload) is not a failure. */
const endedStream = (problem: string) =>
  problem.startsWith('request failed: GET') && problem.includes('/events/stream') && problem.includes('ERR_ABORTED');

/** A screenshot at a phone's width (375 px), the page then back at its usual size. */
export async function phoneScreenshot(browser: Browser, name: string): Promise<void> {
  await browser.page.setViewportSize({ width: 375, height: 800 });
  await browser.screenshot(name);
  await browser.page.setViewportSize({ width: 1280, height: 800 });
}

/** Asserts the page has shown no console error and no failed request (but those `expected` matches). */
export function expectCleanConsole(browser: Browser, expected?: RegExp): void {
  expect(browser.problems.filter((p) => !endedStream(p) && !expected?.test(p))).toEqual([]);
}

/** The column of the board that holds the task titled `title`. */
export async function boardColumnOf(page: Page, title: string): Promise<string | null> {
  return page
    .locator('[data-testid="board"] section', { has: page.getByRole('button', { name: title, exact: true }) })
    .getAttribute('data-status', { timeout: 1000 })
    .catch(() => null);
}
