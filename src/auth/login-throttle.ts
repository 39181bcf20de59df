import type { AppContext } from '../context.js';
import { AppError } from '../errors/app-error.js';
import type { RateBudget } from '../ratelimit/limiter.js';

const seconds = (ms: number) => Math.ceil(ms / 1000);

// How long an address stays known after a successful sign-in from it (below the 24.8 days a Node timer
// can wait, which the in-memory counters rely on).
const KNOWN_ADDRESS_SECONDS = 14 * 24 * 3600;

/**
 * Sign-in attempts are spent before the password is checked, right or wrong: concurrent guesses each take
 * a point as they arrive, so no more of them reach the (slow) check than the budget allows, and a refused
 * attempt is refused before anything about the password is known. Two budgets: one per account and IP
 * address, so guesses from elsewhere cannot lock a user out of their own address; and a larger, slower one
 * per account from every address together, so guesses spread over many addresses stop as well. An address
 * the account signed in from lately skips the account-wide budget, so a distributed attack that spends
 * it still cannot keep the owner out of their usual address.
 */
export class LoginThrottle {
  private readonly perAddress: RateBudget;
  private readonly perAccount: RateBudget;
  /** Marks (account, address) pairs that signed in successfully: any point spent means known. */
  private readonly knownAddresses: RateBudget;

  constructor(ctx: AppContext) {
    const { config } = ctx;
    this.perAddress = ctx.rateLimiter.budget('login-account-ip', {
      points: config.loginMaxFailures,
      durationSeconds: seconds(config.loginFailureWindowMs),
    });
    this.perAccount = ctx.rateLimiter.budget('login-account', {
      points: config.loginAccountMaxFailures,
      durationSeconds: seconds(config.loginAccountFailureWindowMs),
    });
    this.knownAddresses = ctx.rateLimiter.budget('login-known-address', { points: 1, durationSeconds: KNOWN_ADDRESS_SECONDS });
  }

  /**
   * Spends one attempt for this account from this address; 429 TOO_MANY_LOGIN_ATTEMPTS when either budget is
   * spent. The refusal is the same whatever the password: it is decided before the password is looked at.
   */
  async spendAttempt(email: string, ip: string): Promise<LoginAttempt> {
    const attempt = { email, pair: `${email}|${ip}`, countedOnAccount: false };
    // An address already refused spends nothing of the account's budget: one address cannot drain it alone.
    const fromAddress = await this.perAddress.consume(attempt.pair);
    if (!fromAddress.allowed) throw refusal(fromAddress);
    const known = await this.knownAddresses.peek(attempt.pair);
    if (known.remaining < known.limit) return attempt;
    const overall = await this.perAccount.consume(email);
    if (!overall.allowed) throw refusal(overall);
    return { ...attempt, countedOnAccount: true };
  }

  /** After a successful sign-in: its own attempt is given back when it was the only one counted, and the address becomes known. */
  async succeeded(attempt: LoginAttempt): Promise<void> {
    await forgetLoneAttempt(this.perAddress, attempt.pair);
    if (attempt.countedOnAccount) await forgetLoneAttempt(this.perAccount, attempt.email);
    // Spending the single point marks the pair known, for the window begun by its first success.
    await this.knownAddresses.consume(attempt.pair);
  }
}

/** One counted sign-in attempt, as `succeeded` needs it back. */
export interface LoginAttempt {
  email: string;
  pair: string;
  /** Whether it spent a point of the account-wide budget (an address not known to the account). */
  countedOnAccount: boolean;
}

/**
 * Someone who only ever signs in successfully is never throttled. Attempts counted beside the success
 * (failures, or a burst still in flight) stay: a success never wipes guesses made around it, so a burst
 * holding the right password still reaches the check no more often than the budget allows.
 */
async function forgetLoneAttempt(budget: RateBudget, key: string): Promise<void> {
  const state = await budget.peek(key);
  if (state.limit - state.remaining <= 1) await budget.reset(key);
}

function refusal(decision: { resetSeconds: number }): AppError {
  const retryAfter = String(decision.resetSeconds);
  return new AppError(
    'TOO_MANY_LOGIN_ATTEMPTS',
    'Too many sign-in attempts for this account; try again later',
    { retryAfterSeconds: decision.resetSeconds },
    { 'Retry-After': retryAfter },
  );
}
