import { afterEach, expect, it, vi } from 'vitest';
import { EventStreamHub } from '../../src/events/event-stream-hub.js';
import { describeEachDialect } from '../helpers/harness.js';
import { createTask, ownProject } from '../tasks/fixtures.js';
import { eventAbout, openStream, STREAM_TEST_ENV } from './stream-reader.js';

describeEachDialect(
  'an event stream that fails while it is set up',
  (app) => {
    afterEach(() => vi.restoreAllMocks());

    it('is answered (cut off) and gives its slot back', async () => {
      const { owner, workspace, project } = await ownProject(app());
      // The failure comes after the slot is taken and the answer has started: the hub cannot take the stream.
      vi.spyOn(EventStreamHub.prototype, 'listen').mockImplementationOnce(() => {
        throw new Error('the hub failed');
      });
      const failed = await openStream(app().url, workspace.id, { token: owner.token });
      await failed.ended;

      // STREAM_TEST_ENV allows two streams per credential: both are still free.
      const streams = [
        await openStream(app().url, workspace.id, { token: owner.token }),
        await openStream(app().url, workspace.id, { token: owner.token }),
      ];
      try {
        expect(streams.map((s) => s.status)).toEqual([200, 200]);
        const task = await createTask(app(), owner, project.id);
        for (const stream of streams)
          await stream.waitFor(eventAbout('task.created', task.id), 'the task on a stream opened after the failure');
      } finally {
        for (const stream of streams) stream.close();
      }
    });
  },
  STREAM_TEST_ENV,
);
