import type { AttemptRecord } from './delivery-queue.js';

const MAX_BATCH = 200;

interface Queued {
  record: AttemptRecord;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Writes finished attempts in batches: whatever finishes while one write runs goes into the next, so
 * under load many attempts share one commit and when idle each is written at once.
 */
export class AttemptRecorder {
  private readonly queue: Queued[] = [];
  private writing = false;

  constructor(private readonly write: (records: AttemptRecord[]) => Promise<void>) {}

  /** Resolves once the attempt is stored; rejects when its batch could not be written. */
  record(record: AttemptRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          await this.write(batch.map((q) => q.record));
          for (const q of batch) q.resolve();
        } catch (err) {
          for (const q of batch) q.reject(err);
        }
      }
    } finally {
      this.writing = false;
    }
  }
}
