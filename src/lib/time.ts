let lastMs = Number.NaN;
let lastIso = '';

/**
 * Timestamps are stored as ISO-8601 UTC text on both dialects: portable, readable and sortable.
 * Formatting is reused within a millisecond (the text's resolution): every authenticated request
 * reads the clock, and under load many share a millisecond.
 */
export function nowIso(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

export function isoIn(ms: number): string {
  return new Date(Date.now() + ms).toISOString();
}
