import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDecayed,
  type DecayedScore,
  decayedScoreAt,
  decayFactor,
  trendingProducts,
  trendingScores,
} from './trending.js';

const DAY = 86_400_000;

describe('trending', () => {
  it('halves a signal every half-life and never grows one from the future', () => {
    expect(decayFactor(0, DAY)).toBe(1);
    expect(decayFactor(DAY, DAY)).toBe(0.5);
    expect(decayFactor(3 * DAY, DAY)).toBe(0.125);
    expect(decayFactor(-DAY, DAY)).toBe(1);
  });

  it('ranks a product with fewer but recent sales above one with more old sales', () => {
    const now = 100 * DAY;
    const signals = [
      ...Array.from({ length: 8 }, () => ({ productId: 'last-season', at: now - 30 * DAY, weight: 1 })),
      ...Array.from({ length: 3 }, () => ({ productId: 'new-hit', at: now - DAY, weight: 1 })),
    ];
    const ranked = trendingProducts(signals, { now, halfLifeMs: 7 * DAY, limit: 10 });
    expect(ranked.map((r) => r.productId)).toEqual(['new-hit', 'last-season']);
    expect(ranked[1].score).toBeCloseTo(8 * 2 ** (-30 / 7));
    // With a long memory, volume wins again.
    expect(trendingProducts(signals, { now, halfLifeMs: 365 * DAY, limit: 1 })[0].productId).toBe(
      'last-season',
    );
  });

  it('gives the same score stored incrementally (any arrival order) as computed over all signals', () => {
    const signal = fc.record({
      at: fc.integer({ min: 0, max: 60 * DAY }),
      weight: fc.double({ min: 0, max: 5, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.array(signal, { minLength: 1, maxLength: 20 }),
        fc.integer({ min: DAY, max: 30 * DAY }),
        (signals, halfLife) => {
          let stored: DecayedScore | undefined;
          for (const s of signals) stored = addDecayed(stored, s, halfLife);
          const now = 61 * DAY;
          const batch = trendingScores(
            signals.map((s) => ({ ...s, productId: 'p' })),
            now,
            halfLife,
          ).get('p')!;
          expect(decayedScoreAt(stored!, now, halfLife)).toBeCloseTo(batch, 9);
        },
      ),
    );
  });
});
