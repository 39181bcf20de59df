/** The longest an endpoint is left alone between two probes, however long it has been failing. */
const MAX_PAUSE_MS = 5 * 60_000;
/** The longest first pause: new deliveries to an endpoint that failed once wait at most this long. */
const MAX_FIRST_PAUSE_MS = 1000;

interface Failing {
  /** Failures in a row, counting a burst that was in flight together as one. */
  failures: number;
  /** No attempt before this time (epoch ms). */
  until: number;
  /** The one attempt allowed after a pause is in flight. */
  probing: boolean;
}

export interface PauseSchedule {
  firstMs: number;
  maxMs: number;
}

/**
 * The pauses follow the retry schedule: the first is its first step but at most 1 s (one failure must not
 * hold a working endpoint's new deliveries back for long), each further failure doubles it, up to the
 * schedule's longest step or 5 min.
 */
export function pausesFor(retryScheduleMs: readonly number[]): PauseSchedule {
  const firstMs = Math.min(retryScheduleMs[0] ?? MAX_FIRST_PAUSE_MS, MAX_FIRST_PAUSE_MS);
  return { firstMs, maxMs: Math.max(firstMs, Math.min(MAX_PAUSE_MS, Math.max(...retryScheduleMs))) };
}

/** The pause after `failures` failures in a row: first, 2 × first, 4 × first … up to the maximum. */
export function pauseAfter(failures: number, pauses: PauseSchedule): number {
  return Math.min(pauses.maxMs, pauses.firstMs * 2 ** Math.max(0, failures - 1));
}

/**
 * This process's backoff per endpoint, on top of each delivery's own retry schedule. An endpoint that
 * fails (above all one that refuses connections at once) would otherwise be sent every new delivery
 * straight away, each failing in a millisecond and costing a claim and a recorded attempt: work that
 * competes with the API for the event loop and, on SQLite, for the one writer. Once an endpoint fails it
 * is left out of claims for a pause; then one attempt probes it: success ends the backoff, failure doubles
 * the pause. Deliveries wait (still pending, due) rather than failing, so nothing is lost.
 */
export class EndpointBackoff {
  private readonly failing = new Map<string, Failing>();

  constructor(
    private readonly pauses: PauseSchedule,
    private readonly now: () => number = Date.now,
  ) {}

  /** Endpoints to leave out of the next claim: pausing, or with their probe in flight. */
  held(): string[] {
    const now = this.now();
    const held: string[] = [];
    for (const [webhookId, state] of this.failing) if (state.probing || state.until > now) held.push(webhookId);
    return held;
  }

  /** How many attempts may start now: `room` for a healthy endpoint, one probe after a pause, else none. */
  allowed(webhookId: string, room: number): number {
    const state = this.failing.get(webhookId);
    if (!state) return room;
    return state.probing || state.until > this.now() ? 0 : Math.min(room, 1);
  }

  /** An attempt starts; after a pause, it is the probe. */
  started(webhookId: string): void {
    const state = this.failing.get(webhookId);
    if (state && state.until <= this.now()) state.probing = true;
  }

  succeeded(webhookId: string): void {
    this.failing.delete(webhookId);
  }

  failed(webhookId: string): void {
    const now = this.now();
    const state = this.failing.get(webhookId);
    if (!state) {
      this.failing.set(webhookId, { failures: 1, until: now + pauseAfter(1, this.pauses), probing: false });
      return;
    }
    // Attempts that were already in flight when the endpoint started failing are one failure, not many.
    if (!state.probing && state.until > now) return;
    state.failures++;
    state.until = now + pauseAfter(state.failures, this.pauses);
    state.probing = false;
  }
}
