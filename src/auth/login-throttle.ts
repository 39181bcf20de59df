import type { AppContext } from '../context.js';
import { AppError } from '../errors/app-error.js';
import type { RateBudget } from '../ratelimit/limiter.js';

/** Failed sign-ins are counted per account and per IP; past the limit both are refused with 429. */
export class LoginThrottle {
  private readonly failures: RateBudget;

  constructor(ctx: AppContext) {
    this.failures = ctx.rateLimiter.budget('login-failures', {
      points: ctx.config.loginMaxFailures,
      durationSeconds: Math.ceil(ctx.config.loginFailureWindowMs / 1000),
    });
  }

  private keys(email: string, ip: string): string[] {
    return [`email:${email}`, `ip:${ip}`];
  }

  async assertAllowed(email: string, ip: string): Promise<void> {
    for (const key of this.keys(email, ip)) {
      const state = await this.failures.peek(key);
      if (!state.allowed) {
        throw new AppError('TOO_MANY_LOGIN_ATTEMPTS', `Too many failed sign-ins; try again in ${state.resetSeconds}s`,
          { retryAfterSeconds: state.resetSeconds }, { 'Retry-After': String(state.resetSeconds) });
      }
    }
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    for (const key of this.keys(email, ip)) await this.failures.consume(key);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.failures.reset(`email:${email}`);
  }
}
