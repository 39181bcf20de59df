import { warn } from './output.js';

const WEEK_MS = 7 * 86_400_000;
let warned = false;

/**
 * Warns once per command, on stderr, when the server says (Taskgate-Token-Expires) that the
 * credential in use stops working within 7 days.
 */
export function warnIfExpiringSoon(headers: Headers, now = Date.now()): void {
  const expires = headers.get('taskgate-token-expires');
  if (warned || expires === null) return;
  const at = Date.parse(expires);
  if (Number.isNaN(at) || at - now > WEEK_MS) return;
  warned = true;
  const days = Math.max(0, Math.floor((at - now) / 86_400_000));
  const when = days === 0 ? 'within a day' : `in ${days} day${days === 1 ? '' : 's'}`;
  warn(`the credential in use expires ${when} (${expires}): rotate it, or sign in again`);
}
