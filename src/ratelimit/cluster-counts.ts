import cluster, { type Worker } from 'node:cluster';
import type { StatusLog } from '../system/status-log.js';
import type { BudgetCounts, RateDecision, RateWindow } from './decision.js';
import { MemoryCounts } from './memory-counts.js';

/**
 * Rate limits shared by the workers of one TASKGATE_WORKERS cluster without Redis: the counters live in
 * the primary's memory (`serveClusterCounts`) and every worker asks it over the cluster's IPC channel
 * (`ClusterCounts`), so N workers admit a key's limit once, not N times. The primary counts exactly as a
 * single process does (the same `MemoryCounts`). The questions a worker asks in one turn of its event loop
 * travel as one message and are answered by one, so under load a request costs a fraction of a message.
 *
 * A worker uses the primary only once the primary has answered its first message (`hello`): under a
 * primary that is not Taskgate's (pm2's cluster mode, say) nobody answers, and the worker counts in its
 * own memory from then on. A question the primary leaves unanswered for `timeoutMs` is counted in the
 * worker's memory too, so a busy primary slows no request beyond that.
 */

/** Marks this protocol's messages: the channel may carry others. */
const MARK = 'taskgateRateCounts';

type Operation = 'consume' | 'peek' | 'reset';

interface Question {
  id: number;
  op: Operation | 'hello';
  prefix?: string;
  window?: RateWindow;
  key?: string;
}

interface Answer {
  id: number;
  decision?: RateDecision;
  error?: string;
}

/** The questions a worker asked in one turn of its event loop, or the primary's answers to them: one message each way. */
type Message = { [MARK]: 1; questions: Question[] } | { [MARK]: 1; answers: Answer[] };

function isOurs(message: unknown): message is Message {
  return typeof message === 'object' && message !== null && (message as Record<string, unknown>)[MARK] === 1;
}

/** The primary's side: answers every worker's questions from one set of counters. Call before forking. */
export function serveClusterCounts(): void {
  const budgets = new Map<string, MemoryCounts>();
  const answerOne = async ({ id, op, prefix, window, key }: Question): Promise<Answer> => {
    if (op === 'hello') return { id };
    if (prefix === undefined || window === undefined || key === undefined) return { id, error: 'no prefix, window or key' };
    // The prefix names the namespace and the window shape (RateLimiter.budget), so one prefix, one shape.
    let counts = budgets.get(prefix);
    if (!counts) {
      counts = new MemoryCounts({ points: window.points, durationSeconds: window.durationSeconds }, prefix);
      budgets.set(prefix, counts);
    }
    try {
      if (op === 'reset') {
        await counts.reset(key);
        return { id };
      }
      return { id, decision: await counts[op](key) };
    } catch (err) {
      return { id, error: err instanceof Error ? err.message : String(err) };
    }
  };
  cluster.on('message', (worker: Worker, message: unknown) => {
    if (!isOurs(message) || !('questions' in message)) return;
    void Promise.all(message.questions.map(answerOne)).then((answers) => {
      // A worker that died meanwhile cannot be answered; its requests died with it.
      if (worker.isConnected()) worker.send({ [MARK]: 1, answers } satisfies Message, () => undefined);
    });
  });
}

interface Pending {
  resolve(answer: Answer): void;
  reject(err: Error): void;
  sentAt: number;
}

class Unanswered extends Error {}

/**
 * A worker's channel to the primary's counters: one listener for every budget, questions numbered and
 * matched to their answers, and one timer that gives up on those left unanswered.
 */
export class PrimaryLink {
  /** Waiting for the primary's first answer, then `primary` (it keeps the counters) or `local`. */
  private state: 'waiting' | 'primary' | 'local' = 'waiting';
  /** Settles once it is known where the counters are. */
  readonly known: Promise<void>;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private outbox: Question[] = [];
  private readonly timer: NodeJS.Timeout;
  private warned = false;

  constructor(
    readonly timeoutMs: number,
    private readonly log: StatusLog,
  ) {
    process.on('message', this.onMessage);
    this.timer = setInterval(() => this.giveUpLate(), Math.max(10, timeoutMs / 4));
    this.timer.unref();
    this.known = this.ask({ op: 'hello' }).then(
      () => void (this.state = 'primary'),
      () => {
        this.state = 'local';
        log.write('warn', { rateLimits: 'memory' }, 'The cluster primary does not share rate limits: each worker counts its own');
      },
    );
  }

  /** Whether the primary keeps the counters; undefined until that is known. */
  get shared(): boolean | undefined {
    return this.state === 'waiting' ? undefined : this.state === 'primary';
  }

  ask(question: Omit<Question, 'id'>): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject, sentAt: Date.now() });
      this.outbox.push({ id, ...question });
      if (this.outbox.length === 1) setImmediate(this.send);
    });
  }

  /**
   * Sends the questions asked in this turn of the event loop as one message (setImmediate runs after the
   * turn's I/O: the requests read off the sockets together are counted together).
   */
  private readonly send = (): void => {
    const questions = this.outbox;
    this.outbox = [];
    const failed = (err: Error) => {
      for (const { id } of questions) {
        const pending = this.pending.get(id);
        if (!pending) continue;
        this.pending.delete(id);
        pending.reject(err);
      }
    };
    if (!process.send) {
      failed(new Unanswered('not a cluster worker'));
      return;
    }
    // With a callback, a channel already closed (the primary gone) fails these questions, not the process.
    process.send({ [MARK]: 1, questions } satisfies Message, undefined, {}, (err: Error | null) => {
      if (err) failed(err);
    });
  };

  /** A question went unanswered (or failed): that call is counted in the worker's memory, and that is logged once. */
  unanswered(err: unknown): void {
    if (this.warned) return;
    this.warned = true;
    this.log.write(
      'warn',
      { err, rateLimits: 'memory' },
      'The cluster primary did not answer a rate-limit question: that request was counted by this worker alone',
    );
  }

  private readonly onMessage = (message: unknown): void => {
    if (!isOurs(message) || !('answers' in message)) return;
    for (const answer of message.answers) {
      const pending = this.pending.get(answer.id);
      if (!pending) continue;
      this.pending.delete(answer.id);
      pending.resolve(answer);
    }
  };

  /**
   * Gives up on questions older than the timeout. The verdict waits for the end of the event-loop turn
   * (setImmediate runs after that turn's I/O): when this worker, not the primary, was slow (a long
   * synchronous task held the loop), an answer that arrived meanwhile is read first and counts.
   */
  private giveUpLate(): void {
    const late = Date.now() - this.timeoutMs;
    const overdue: number[] = [];
    for (const [id, pending] of this.pending) if (pending.sentAt <= late) overdue.push(id);
    if (overdue.length === 0) return;
    setImmediate(() => {
      for (const id of overdue) {
        const pending = this.pending.get(id);
        if (!pending) continue;
        this.pending.delete(id);
        pending.reject(new Unanswered(`the cluster primary did not answer within ${this.timeoutMs} ms`));
      }
    });
  }

  close(): void {
    clearInterval(this.timer);
    process.off('message', this.onMessage);
    for (const pending of this.pending.values()) pending.reject(new Unanswered('closed'));
    this.pending.clear();
  }
}

/** One budget's counters in the primary, or in this worker's memory while the primary does not keep them. */
export class ClusterCounts implements BudgetCounts {
  private readonly local: MemoryCounts;

  constructor(
    private readonly link: PrimaryLink,
    private readonly window: RateWindow,
    private readonly prefix: string,
  ) {
    this.local = new MemoryCounts(window, prefix);
  }

  consume(key: string): Promise<RateDecision> {
    return this.run('consume', key, () => this.local.consume(key));
  }

  peek(key: string): Promise<RateDecision> {
    return this.run('peek', key, () => this.local.peek(key));
  }

  async reset(key: string): Promise<void> {
    await this.run('reset', key, () => this.local.reset(key).then(() => undefined));
  }

  private run<T extends RateDecision | undefined>(op: Operation, key: string, locally: () => Promise<T>): Promise<T> {
    const shared = this.link.shared;
    if (shared === undefined) return this.link.known.then(() => this.run(op, key, locally));
    if (!shared) return locally();
    return this.link.ask({ op, prefix: this.prefix, window: this.window, key }).then(
      (answer) => (answer.error === undefined ? (answer.decision as T) : this.alone(new Error(answer.error), locally)),
      (err: unknown) => this.alone(err, locally),
    );
  }

  private alone<T>(err: unknown, locally: () => Promise<T>): Promise<T> {
    this.link.unanswered(err);
    return locally();
  }
}
