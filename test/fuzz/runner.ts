import fc from 'fast-check';
import type { TestApp } from '../helpers/harness.js';
import { createFixtures, learnFrom, type Fixtures } from './fixtures.js';
import { MUTATING_METHODS, operationsOf, resolvePointer, type Operation } from './openapi-model.js';
import { RequestGenerator, SURELY_REFUSED, type PlannedRequest } from './requests.js';
import { findingOf, ResponseChecker, type Finding, type Received, type SentRequest } from './response-checks.js';
import { stateFingerprintQuery } from './state-fingerprint.js';

export interface FuzzOptions {
  seed: number;
  /** Requests to send (at least; a batch is finished). */
  requests: number;
  /** Requests in flight together. */
  concurrency: number;
}

export interface FuzzReport {
  seed: number;
  requests: number;
  operations: number;
  perOperation: Map<string, number>;
  /** Per operation, how often each status was answered. */
  statusesByOperation: Map<string, Map<number, number>>;
  /** Per operation, the error codes answered to requests meant to be valid (what keeps them from a 2xx). */
  validRefusals: Map<string, Map<string, number>>;
  statuses: Map<number, number>;
  /** Operations that answered at least one 2xx (the fuzzer reached past validation). */
  succeeded: Set<string>;
  /** Writes answered 4xx in a batch of refusals only, checked to have changed nothing. */
  refusalsCheckedUnchanged: number;
  /** Refused writes that shared a batch with a success, sent again and then checked. */
  refusalsCheckedOnReplay: number;
  /** Refused writes whose replay still shared its batch with a success (the state moved on meanwhile). */
  refusalsUnchecked: number;
  /** Batches after which the fingerprint differed: proof that it does see the writes that succeed. */
  batchesThatChangedState: number;
  /** Requests the HTTP client itself would not send (none are expected: the generator makes sendable ones). */
  clientRefused: string[];
  findings: Finding[];
  fixtures: Fixtures;
  elapsedMs: number;
  /** Where the time went: generating requests, fingerprinting the state, waiting for answers. */
  timings: { generateMs: number; fingerprintMs: number; httpMs: number };
}

interface Outcome {
  planned: PlannedRequest;
  sent: SentRequest;
  received?: Received;
  error?: string;
}

function sentOf(planned: PlannedRequest): SentRequest {
  const headers = { ...planned.headers };
  // The report names the credential; it never prints it.
  if (headers.authorization)
    headers.authorization = `${planned.auth}${planned.mutation === 'auth-header' ? `: ${headers.authorization.slice(0, 40)}` : ''}`;
  return {
    operationId: planned.operation.id,
    method: planned.method,
    url: planned.url,
    auth: planned.auth,
    headers,
    ...(planned.body !== undefined ? { body: planned.body } : {}),
    invalid: planned.invalid,
  };
}

/** True when the URL, once normalised (dot segments, an empty id), no longer has the template's shape. */
function offRoute(base: string, planned: PlannedRequest): boolean {
  const pathname = new URL(base + planned.url).pathname;
  return pathname.split('/').length !== planned.operation.path.split('/').length || pathname.includes('//');
}

/** Far longer than any answer takes: a request still unanswered then is a hang, reported as such. */
const ANSWER_TIMEOUT_MS = 20_000;

async function send(base: string, planned: PlannedRequest): Promise<Outcome> {
  const sent = sentOf(planned);
  try {
    const res = await fetch(base + planned.url, {
      method: planned.method,
      headers: planned.headers,
      signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
      ...(planned.body !== undefined ? { body: planned.body } : {}),
    });
    // A stream stays open: its status and headers are the answer to check; it is closed at once.
    if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
      await res.body?.cancel();
      return { planned, sent, received: { status: res.status, text: '', headers: res.headers } };
    }
    return { planned, sent, received: { status: res.status, text: await res.text(), headers: res.headers } };
  } catch (err) {
    if (err instanceof DOMException && err.name === 'TimeoutError')
      return { planned, sent, error: `no answer within ${ANSWER_TIMEOUT_MS} ms` };
    // The client itself refused (a header value fetch will not send): nothing reached the server.
    return { planned, sent, error: String(err) };
  }
}

/**
 * Sends generated requests for every operation of the app's own OpenAPI document and checks each
 * answer against it; batches alternate between valid and mutated requests so that a batch of
 * refusals can be checked to have changed nothing.
 */
export async function fuzzApp(app: TestApp, options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const documentRes = await fetch(`${app.url}/api/v1/openapi.json`);
  const document = (await documentRes.json()) as Record<string, any>;
  const operations = operationsOf(document);
  const checker = new ResponseChecker(document);
  const fixtures = await createFixtures(app);
  const generator = new RequestGenerator(fixtures, (ref) => resolvePointer(document, ref));
  const fingerprint = await stateFingerprintQuery(app.ctx.db);
  const arbitraries = new Map<Operation, [fc.Arbitrary<PlannedRequest>, fc.Arbitrary<PlannedRequest>]>(
    operations.map((op) => [op, [generator.arbitrary(op, false), generator.arbitrary(op, true)]]),
  );
  const report: FuzzReport = {
    seed: options.seed,
    requests: 0,
    operations: operations.length,
    perOperation: new Map(),
    statusesByOperation: new Map(),
    validRefusals: new Map(),
    statuses: new Map(),
    succeeded: new Set(),
    refusalsCheckedUnchanged: 0,
    refusalsCheckedOnReplay: 0,
    refusalsUnchecked: 0,
    batchesThatChangedState: 0,
    clientRefused: [],
    findings: [],
    fixtures,
    elapsedMs: 0,
    timings: { generateMs: 0, fingerprintMs: 0, httpMs: 0 },
  };

  const batches = new BatchSender(app, report, fingerprint);
  const record = (outcome: Outcome) => recordOutcome(report, checker, generator, app.url, outcome);
  for (let batch = 0, next = 0; report.requests < options.requests; batch++) {
    const invalid = batch % 2 === 1;
    const chosen = Array.from({ length: options.concurrency }, () => operations[next++ % operations.length]!);
    const tuple = fc.tuple(...chosen.map((op) => arbitraries.get(op)![invalid ? 1 : 0]));
    const t0 = performance.now();
    // Half the batches unbiased: biased generation favours small values and boundaries.
    const [planned] = fc.sample(batch % 4 < 2 ? tuple : fc.noBias(tuple), { seed: (options.seed + batch * 7919) | 0, numRuns: 1 });
    report.timings.generateMs += performance.now() - t0;
    const sent = await batches.send(planned!, record);
    if (sent.refusals.length === 0) continue;
    if (!sent.someWriteSucceeded) {
      report.refusalsCheckedUnchanged += sent.refusals.length;
      continue;
    }
    // Refused writes that shared their batch with a success cannot be told apart from it: they are
    // sent again, together, so that a batch of refusals only is checked to have changed nothing.
    const replayed = await batches.send(
      sent.refusals.map((o) => o.planned),
      record,
    );
    if (replayed.someWriteSucceeded) report.refusalsUnchecked += sent.refusals.length;
    else report.refusalsCheckedOnReplay += replayed.refusals.length;
  }
  report.elapsedMs = Date.now() - started;
  return report;
}

interface SentBatch {
  someWriteSucceeded: boolean;
  /** Writes (POST, PUT, PATCH, DELETE) answered 4xx. */
  refusals: Outcome[];
}

/** Sends batches concurrently, the state fingerprinted around each. */
class BatchSender {
  // Nothing runs between batches but background work the fingerprint leaves out: a batch's "after"
  // is the next one's "before".
  private last: string | undefined;

  constructor(
    private readonly app: TestApp,
    private readonly report: FuzzReport,
    private readonly fingerprint: () => Promise<string>,
  ) {}

  async send(planned: PlannedRequest[], record: (outcome: Outcome) => boolean | undefined): Promise<SentBatch> {
    const { timings } = this.report;
    let t0 = performance.now();
    const before = this.last ?? (this.last = await this.fingerprint());
    let t1 = performance.now();
    timings.fingerprintMs += t1 - t0;
    const outcomes = await Promise.all(planned.map((p) => send(this.app.url, p)));
    t0 = performance.now();
    timings.httpMs += t0 - t1;
    const after = (this.last = await this.fingerprint());
    t1 = performance.now();
    timings.fingerprintMs += t1 - t0;
    let someWriteSucceeded = false;
    const refusals: Outcome[] = [];
    for (const outcome of outcomes) {
      const success = record(outcome);
      if (success === undefined || !MUTATING_METHODS.has(outcome.planned.method)) continue;
      if (success) someWriteSucceeded = true;
      else if (outcome.received!.status < 500) refusals.push(outcome);
    }
    if (before !== after) this.report.batchesThatChangedState++;
    if (!someWriteSucceeded && before !== after && refusals.length > 0) {
      const first = refusals[0]!;
      const refused = refusals.map((r) => `${r.sent.method} ${r.sent.url} → ${r.received!.status}`).join('; ');
      this.report.findings.push(
        findingOf(
          'state-changed-by-4xx',
          first.sent,
          `state changed in a batch where every write was refused: ${refused}; changed: ${diffOf(before, after)}`,
          first.received,
        ),
      );
    }
    return { someWriteSucceeded, refusals };
  }
}

/** Counts and checks one answer; true for a 2xx, false otherwise, undefined when none came. */
function recordOutcome(
  report: FuzzReport,
  checker: ResponseChecker,
  generator: RequestGenerator,
  base: string,
  outcome: Outcome,
): boolean | undefined {
  const { planned: p, received } = outcome;
  if (!received) {
    if (outcome.error?.startsWith('no answer')) report.findings.push(findingOf('no-answer', outcome.sent, outcome.error));
    else report.clientRefused.push(`${outcome.sent.operationId}: ${outcome.error}`);
    return undefined;
  }
  report.requests++;
  report.perOperation.set(p.operation.id, (report.perOperation.get(p.operation.id) ?? 0) + 1);
  report.statuses.set(received.status, (report.statuses.get(received.status) ?? 0) + 1);
  count(report.statusesByOperation, p.operation.id, received.status);
  report.findings.push(...checker.check(p.operation, offRoute(base, p), outcome.sent, received));
  const success = received.status >= 200 && received.status < 300;
  const code = received.status >= 400 ? /"code":"([A-Z_]+)"/.exec(received.text)?.[1] : undefined;
  generator.learnRefusal(p.operation.id, p.auth, code);
  if (!p.invalid && received.status >= 400) count(report.validRefusals, p.operation.id, code ?? String(received.status));
  if (success && p.bodyValue !== undefined && !checker.acceptsBody(p.operation, p.bodyValue)) {
    report.findings.push(
      findingOf('accepted-invalid-body', outcome.sent, "the document's request schema refuses this body, the server accepted it", received),
    );
  } else if (success && SURELY_REFUSED.has(p.mutation)) {
    report.findings.push(findingOf('accepted-invalid-body', outcome.sent, `a request broken by ${p.mutation} succeeded`, received));
  }
  if (success) {
    report.succeeded.add(p.operation.id);
    try {
      learnFrom(report.fixtures, p.operation.id, JSON.parse(received.text || 'null'), { path: p.pathParams, body: p.bodyValue });
    } catch {
      // not JSON: reported by the checks
    }
  }
  return success;
}

function count<K>(counts: Map<string, Map<K, number>>, operationId: string, key: K): void {
  const byKey = counts.get(operationId) ?? new Map<K, number>();
  counts.set(operationId, byKey.set(key, (byKey.get(key) ?? 0) + 1));
}

function diffOf(before: string, after: string): string {
  const a = new Set(before.split('|'));
  return after
    .split('|')
    .filter((part) => !a.has(part))
    .join(', ');
}
