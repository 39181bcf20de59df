import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';

const DAY_MS = 86_400_000;

describe('expiry warning and stale settings', () => {
  it('default to warnings 7 and 1 days before expiry and 90 days of disuse', () => {
    const config = loadConfig({});
    expect(config.tokenExpiryWarningsMs).toEqual([7 * DAY_MS, DAY_MS]);
    expect(config.staleTokenDays).toBe(90);
  });

  it('take warning windows in any order, longest first and once each', () => {
    const config = loadConfig({ TASKGATE_TOKEN_EXPIRY_WARNINGS: '1d,12h,14d,1d', TASKGATE_STALE_TOKEN_DAYS: '30' });
    expect(config.tokenExpiryWarningsMs).toEqual([14 * DAY_MS, DAY_MS, DAY_MS / 2]);
    expect(config.staleTokenDays).toBe(30);
  });

  it.each([
    ['TASKGATE_TOKEN_EXPIRY_WARNINGS', '7 days', /TASKGATE_TOKEN_EXPIRY_WARNINGS must be a comma-separated list of durations/],
    ['TASKGATE_TOKEN_EXPIRY_WARNINGS', '7d,0d', /TASKGATE_TOKEN_EXPIRY_WARNINGS must be/],
    ['TASKGATE_STALE_TOKEN_DAYS', '0', /TASKGATE_STALE_TOKEN_DAYS must be a whole number between 1 and 3650/],
  ])('refuse %s=%s', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });
});
