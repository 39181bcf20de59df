/** Timestamps are stored as ISO-8601 UTC text on both dialects: portable, readable and sortable. */
export function nowIso(): string {
  return new Date().toISOString();
}

export function isoIn(ms: number): string {
  return new Date(Date.now() + ms).toISOString();
}
