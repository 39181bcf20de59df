export interface WaitOptions {
  /** Give up (and throw) after this long. */
  timeoutMs?: number;
  /** Pause between two checks. */
  intervalMs?: number;
  /** Count a check that throws as "not yet" (a server that is down or restarting). */
  ignoreErrors?: boolean;
}

/**
 * Polls `probe` until `ok` holds on its value and returns that value, or throws after `timeoutMs`
 * naming `what` and the last value: tests wait on the event that proves a thing, not a fixed sleep.
 */
export async function waitForValue<T>(
  what: string,
  probe: () => T | Promise<T>,
  ok: (value: T) => boolean,
  options: WaitOptions = {},
): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 20, ignoreErrors = false } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let value: T | undefined;
    let error: unknown;
    try {
      value = await probe();
      if (ok(value)) return value;
    } catch (err) {
      if (!ignoreErrors) throw err;
      error = err;
    }
    if (Date.now() > deadline) {
      const last = error === undefined ? JSON.stringify(value) : String(error);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: last ${last?.slice(0, 500)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Polls `check` until it holds, or throws after `timeoutMs` naming `what`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, options: WaitOptions = {}): Promise<void> {
  await waitForValue(what, check, (holds) => holds, options);
}
