import type { Finding, FindingKind } from './response-checks.js';

export interface OpenFinding {
  kind: FindingKind;
  /** An operation id, or `*` for a finding every operation shares. */
  operationId: string;
  /** Matched against the finding's detail; the narrower the better. */
  detail: RegExp;
  /** Where it is tracked (issue and item), for the coordinator. */
  issue: string;
}

/**
 * Server bugs the fuzzer found that are still open, skipped so the run stays useful meanwhile. Each
 * names its issue; remove the entry once fixed (the run prints which entries matched nothing).
 * Nothing else is allowed through.
 */
// F1 (431 undocumented) and F2 (409 from a write racing a delete, undocumented) are fixed: every
// operation documents 408, 431 and 503, and every write 409 (src/openapi/responses.ts).
export const OPEN_FINDINGS: readonly OpenFinding[] = [];

export function isOpenFinding(finding: Finding): OpenFinding | undefined {
  return OPEN_FINDINGS.find(
    (open) =>
      open.kind === finding.kind &&
      (open.operationId === '*' || open.operationId === finding.operationId) &&
      open.detail.test(finding.detail),
  );
}
