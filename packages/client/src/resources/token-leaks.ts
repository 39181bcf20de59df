import type { BodyOf, CallOptions, Core } from '../core.js';

/** Leak reports: for secret scanners, no credential needed. */
export class TokenLeaksResource {
  constructor(private readonly core: Core) {}

  /**
   * Sends what a scanner found; every live Taskgate token in it is revoked at once. The answer is always
   * `{ examined }` (how many token-shaped strings it held), never whether one was live.
   */
  report(body: BodyOf<'/api/v1/token-leaks', 'post'>, options?: CallOptions) {
    return this.core.send(this.core.api.POST('/api/v1/token-leaks', { body, ...this.core.init(options) }));
  }
}
