import { UAParser } from 'ua-parser-js';

/** "Firefox on Linux", "curl", or "Unknown device": what a person recognises in a session list. */
export function deviceLabel(userAgent: string | undefined): string {
  if (!userAgent) return 'Unknown device';
  const { browser, os } = UAParser(userAgent);
  if (browser.name && os.name) return `${browser.name} on ${os.name}`;
  if (browser.name) return browser.name;
  const product = /^([A-Za-z][\w.-]*)\//.exec(userAgent);
  return product ? product[1]! : 'Unknown device';
}
