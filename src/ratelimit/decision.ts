export interface RateWindow {
  points: number;
  durationSeconds: number;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/** The counters of one budget, wherever they are kept. */
export interface BudgetCounts {
  consume(key: string): Promise<RateDecision>;
  peek(key: string): Promise<RateDecision>;
  reset(key: string): Promise<void>;
}

/** A decision from a counter's state. */
export function decision(allowed: boolean, window: RateWindow, remainingPoints: number, msBeforeNext: number): RateDecision {
  return {
    allowed,
    limit: window.points,
    remaining: Math.max(0, remainingPoints),
    resetSeconds: Math.max(1, Math.ceil(msBeforeNext / 1000)),
  };
}

/** An untouched budget. */
export function fresh(window: RateWindow): RateDecision {
  return { allowed: true, limit: window.points, remaining: window.points, resetSeconds: window.durationSeconds };
}
