// Token-shaped text that is no part of a longer word, as `taskgate scan` and @taskgate/client decide (see
// credentials/token-format.ts for the shape).
const TOKEN_SHAPED = /(?<![0-9A-Za-z_])tg[pwads]_[0-9A-Za-z]{38}(?![0-9A-Za-z_])/g;

/** How many distinct token-shaped strings one report may hold: each costs a lookup. */
export const MAX_TOKEN_SHAPED_PER_REPORT = 1000;

/** Every distinct token-shaped string in the texts, in the order first seen; checksums are checked by the caller. */
export function tokenShapedStrings(texts: readonly string[]): string[] {
  const found = new Set<string>();
  for (const text of texts) for (const match of text.matchAll(TOKEN_SHAPED)) found.add(match[0]);
  return [...found];
}
