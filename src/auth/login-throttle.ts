import type { AppContext } from '../context.js';
import { AppError } from '../errors/app-error.js';
import type { RateWindow } from '../ratelimit/limiter.js';

/** Failed sign-ins are counted per account and per IP; past the limit both are refused with 429. */
export class LoginThrottle {
  private readonly window: RateWindow;

  constructor(private readonly ctx: AppContext) {
    this.window = { points: ctx.config.loginMaxFailures, durationSeconds: Math.ceil(ctx.config.loginFailureWindowMs / 1000) };
  }

  private keys(email: string, ip: string): string[] {
    return [`email:${email}`, `ip:${ip}`];
  }

  async assertAllowed(email: string, ip: string): Promise<void> {
    for (const key of this.keys(email, ip)) {
      const state = await this.ctx.rateLimiter.peek('login-failures', key, this.window);
      if (!state.allowed) {
        throw new AppError('TOO_MANY_LOGIN_ATTEMPTS', `Too many failed sign-ins; try again in ${state.resetSeconds}s`,
          { retryAfterSeconds: state.resetSeconds }, { 'Retry-After': String(state.resetSeconds) });
      }
    }
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    for (const key of this.keys(email, ip)) await this.ctx.rateLimiter.consume('login-failures', key, this.window);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.ctx.rateLimiter.reset('login-failures', `email:${email}`, this.window);
  }
}
