/** The expiry choices offered: presets in days, or a date of the user's choosing. */
export const EXPIRY_PRESETS = [7, 30, 90, 365] as const;
export type ExpiryChoice = `${(typeof EXPIRY_PRESETS)[number]}` | 'custom';

/** The expiry as the API takes it: the end of the chosen day, or `days` from now. */
export function expiresAtOf(choice: ExpiryChoice, customDate: string, now = Date.now()): string {
  if (choice === 'custom') return new Date(`${customDate}T23:59:59`).toISOString();
  return new Date(now + Number(choice) * 86_400_000).toISOString();
}

/** The earliest and latest dates the custom picker offers (tomorrow … a year). */
export function customDateBounds(now = Date.now()): { min: string; max: string } {
  const day = (offset: number) => new Date(now + offset * 86_400_000).toISOString().slice(0, 10);
  return { min: day(1), max: day(365) };
}
