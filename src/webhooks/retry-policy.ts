import type { AttemptOutcome } from './http-sender.js';

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

/** What happens to a delivery, and to its endpoint, after one attempt. */
export interface Verdict {
  status: DeliveryStatus;
  /** The next step of the retry schedule (unchanged on success). */
  scheduleStep: number;
  nextAttemptAt: string | null;
  /** Set when the answer means the endpoint must be disabled at once. */
  disableReason: string | null;
}

/** 2xx only: 3xx is a failure (redirects are never followed). */
function isSuccess(status: number | null): boolean {
  return status !== null && status >= 200 && status < 300;
}

// ±20 %: endpoints that failed together do not all retry in the same instant.
function withJitter(ms: number, random: () => number): number {
  return Math.round(ms * (0.8 + 0.4 * random()));
}

/**
 * Success, a retry at the schedule's next step (never earlier than a 429/503 Retry-After asks), or
 * failure once the schedule is spent. 410 Gone fails the delivery and disables the endpoint.
 */
export function judgeAttempt(
  outcome: Pick<AttemptOutcome, 'status' | 'retryAfterMs'>,
  scheduleStep: number,
  scheduleMs: readonly number[],
  now = Date.now(),
  random: () => number = Math.random,
): Verdict {
  if (isSuccess(outcome.status)) return { status: 'succeeded', scheduleStep, nextAttemptAt: null, disableReason: null };
  if (outcome.status === 410) {
    return {
      status: 'failed',
      scheduleStep,
      nextAttemptAt: null,
      disableReason: `The endpoint answered 410 Gone on ${new Date(now).toISOString()}`,
    };
  }
  const delay = scheduleMs[scheduleStep];
  if (delay === undefined) return { status: 'failed', scheduleStep, nextAttemptAt: null, disableReason: null };
  const asked = outcome.status === 429 || outcome.status === 503 ? (outcome.retryAfterMs ?? 0) : 0;
  const wait = Math.max(withJitter(delay, random), asked);
  return { status: 'pending', scheduleStep: scheduleStep + 1, nextAttemptAt: new Date(now + wait).toISOString(), disableReason: null };
}
