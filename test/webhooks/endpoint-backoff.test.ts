import { describe, expect, it } from 'vitest';
import { EndpointBackoff, pauseAfter, pausesFor } from '../../src/webhooks/endpoint-backoff.js';

const PAUSES = { firstMs: 1000, maxMs: 8000 };

function clocked() {
  let now = 0;
  const backoff = new EndpointBackoff(PAUSES, () => now);
  return { backoff, advance: (ms: number) => void (now += ms) };
}

describe('per-endpoint backoff', () => {
  it('takes its pauses from the retry schedule: its first step (1 s at most), doubling, up to its longest or 5 minutes', () => {
    expect(pausesFor([5000, 300_000, 1_800_000])).toEqual({ firstMs: 1000, maxMs: 300_000 });
    expect(pausesFor([50, 100])).toEqual({ firstMs: 50, maxMs: 100 });
    expect(pausesFor([3_600_000])).toEqual({ firstMs: 1000, maxMs: 300_000 });
    expect([1, 2, 3, 4, 5, 6].map((n) => pauseAfter(n, PAUSES))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('leaves a failing endpoint alone for a pause, then lets one probe through; a burst in flight counts once', () => {
    const { backoff, advance } = clocked();
    expect(backoff.allowed('whk_a', 16)).toBe(16);
    for (let i = 0; i < 16; i++) backoff.failed('whk_a');
    expect(backoff.held()).toEqual(['whk_a']);
    expect(backoff.allowed('whk_a', 16)).toBe(0);
    expect(backoff.allowed('whk_b', 16)).toBe(16);

    advance(1000);
    expect(backoff.held()).toEqual([]);
    expect(backoff.allowed('whk_a', 16)).toBe(1);
    backoff.started('whk_a');
    expect(backoff.held()).toEqual(['whk_a']);
    expect(backoff.allowed('whk_a', 16)).toBe(0);

    backoff.failed('whk_a');
    advance(1999);
    expect(backoff.allowed('whk_a', 16)).toBe(0);
    advance(1);
    backoff.started('whk_a');
    backoff.succeeded('whk_a');
    expect(backoff.allowed('whk_a', 16)).toBe(16);
    expect(backoff.held()).toEqual([]);
  });
});
