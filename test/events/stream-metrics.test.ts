import { expect, it } from 'vitest';
import { describeEachDialect } from '../helpers/harness.js';
import { ownProject } from '../tasks/fixtures.js';
import { openStream, STREAM_TEST_ENV } from './stream-reader.js';

const METRICS_TOKEN = 'scrape-me-please-0123456789';
const STREAM_ROUTE = 'route="/api/v1/workspaces/:id/events/stream"';

describeEachDialect(
  'the event stream in the metrics',
  (app) => {
    /** Streams answered so far, as the request-duration histogram counts them. */
    const streamsCounted = async (): Promise<number> => {
      const res = await app().request('GET', '/metrics', { token: METRICS_TOKEN });
      expect(res.status).toBe(200);
      const line = res.text
        .split('\n')
        .find((l: string) => l.startsWith('taskgate_http_request_duration_seconds_count') && l.includes(STREAM_ROUTE));
      return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
    };

    it('counts a stream once it has ended, although its answer skips the onSend hooks', async () => {
      const { owner, workspace } = await ownProject(app());
      const before = await streamsCounted();
      const stream = await openStream(app().url, workspace.id, { token: owner.token });
      expect(stream.status).toBe(200);
      expect(stream.headers['x-content-type-options']).toBe('nosniff');
      await stream.waitFor((item) => item.kind === 'retry', 'the retry hint');
      stream.close();
      await stream.ended;
      await expect.poll(streamsCounted, { timeout: 30_000 }).toBe(before + 1);
    });
  },
  { ...STREAM_TEST_ENV, TASKGATE_METRICS_TOKEN: METRICS_TOKEN },
);
