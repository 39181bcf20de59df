// Token-shaped text that is no part of a longer word, as `taskgate scan` and @taskgate/client decide (see
// credentials/token-format.ts for the shape).
const TOKEN_SHAPED = /(?<![0-9A-Za-z_])tg[pwads]_[0-9A-Za-z]{38}(?![0-9A-Za-z_])/g;

/** Every distinct token-shaped string in the texts, in the order first seen; checksums are checked by the caller. */
export function tokenShapedStrings(texts: readonly string[]): string[] {
  const found = new Set<string>();
  for (const text of texts) for (const match of text.matchAll(TOKEN_SHAPED)) found.add(match[0]);
  return [...found];
}
