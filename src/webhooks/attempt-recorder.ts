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

  /** One bad record (its delivery deleted meanwhile) must not sink the others: on failure, one by one. */
  private async writeBatch(batch: Queued[]): Promise<void> {
    try {
      await this.write(batch.map((q) => q.record));
      for (const q of batch) q.resolve();
    } catch (err) {
      if (batch.length === 1) return batch[0]?.reject(err);
      for (const q of batch) await this.writeBatch([q]);
    }
  }

  private async drain(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        await this.writeBatch(this.queue.splice(0, MAX_BATCH));
      }
    } finally {
      this.writing = false;
    }
  }
}
