import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../context.js';
import { AppError } from '../errors/app-error.js';
import { LEAK_REPORT_BODY_LIMIT, LeakReport, LeakReportReceipt } from './token-leaks.schemas.js';
import { reportLeaks } from './token-leaks.service.js';

export function tokenLeakRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  // Its own budget per address, besides the anonymous one: a report may cost thousands of lookups.
  const reports = ctx.rateLimiter.budget('token-leak-reports', { points: ctx.config.leakReportRateLimitPerMinute, durationSeconds: 60 });
  return async (app) => {
    app.post(
      '/token-leaks',
      {
        config: { auth: 'public' },
        bodyLimit: LEAK_REPORT_BODY_LIMIT,
        schema: {
          tags: ['tokens'],
          operationId: 'tokenLeaks.report',
          summary: 'Report Taskgate tokens found in public (for secret scanners)',
          description:
            'No credentials needed. Every Taskgate token in `strings` (up to 1 MB of JSON) that still works, or would once ' +
            're-enabled, is revoked at once with reason `leaked` (a session token ends its session); its owner is told by a ' +
            '`token.leaked` event in every workspace it reaches and an audit entry naming `source` and the reporting address. ' +
            'The answer is always 202 with the number of token-shaped strings examined: it never tells whether one was live. ' +
            'A report holding more than 1,000 distinct token-shaped strings is refused with 400 before any is looked up: split it. ' +
            '429 RATE_LIMITED past TASKGATE_LEAK_REPORT_RATE_LIMIT reports per minute from one address.',
          body: LeakReport,
          response: { 202: LeakReportReceipt },
        },
      },
      async (request, reply) => {
        const decision = await reports.consume(`ip:${request.ip}`);
        if (!decision.allowed) {
          const retry = String(decision.resetSeconds);
          throw new AppError(
            'RATE_LIMITED',
            `At most ${decision.limit} leak reports per minute from one address; retry in ${retry}s`,
            { retryAfterSeconds: decision.resetSeconds },
            { 'Retry-After': retry },
          );
        }
        const receipt = await reportLeaks(ctx, { strings: request.body.strings, source: request.body.source, ip: request.ip });
        return reply.code(202).send(receipt);
      },
    );
  };
}
