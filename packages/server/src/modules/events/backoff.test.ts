import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_RETRY_DELAY_MS, retryDelayMs } from './backoff.js';

describe('retryDelayMs', () => {
  it('doubles per attempt between half and all of the step', () => {
    expect(retryDelayMs(1, 1000, () => 0)).toBe(500);
    expect(retryDelayMs(1, 1000, () => 1)).toBe(1000);
    expect(retryDelayMs(3, 1000, () => 0)).toBe(2000);
    expect(retryDelayMs(3, 1000, () => 1)).toBe(4000);
  });

  it('stays within [step/2, step], never exceeds the cap, and grows with the attempt', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (attempt, base, random) => {
          const step = Math.min(MAX_RETRY_DELAY_MS, base * 2 ** (attempt - 1));
          const delay = retryDelayMs(attempt, base, () => random);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(step / 2));
          expect(delay).toBeLessThanOrEqual(Math.ceil(step));
          expect(retryDelayMs(attempt + 1, base, () => 0)).toBeGreaterThanOrEqual(
            retryDelayMs(attempt, base, () => 0),
          );
        },
      ),
    );
  });
});
