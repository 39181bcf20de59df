const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses "250ms", "5s", "5m", "2h" or "30d" into milliseconds; null when the text is not a duration. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

/** Parses "5s,5m,30m" into milliseconds; null when any part is not a duration. */
export function parseDurationList(text: string): number[] | null {
  const parts = text.split(',').map(parseDuration);
  return parts.every((ms): ms is number => ms !== null) ? parts : null;
}
