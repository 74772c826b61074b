import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyBasisPoints,
  assertMinorUnits,
  currencyExponent,
  isKnownCurrency,
  mulDivRounded,
  prorate,
  sumMinorUnits,
} from './money.js';

describe('currencyExponent', () => {
  it.each([
    ['JPY', 0],
    ['KRW', 0],
    ['EUR', 2],
    ['USD', 2],
    ['GBP', 2],
    ['BHD', 3],
    ['KWD', 3],
    ['TND', 3],
    ['CLF', 4],
  ])('%s has %i decimals', (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
  });

  it('is case-insensitive', () => {
    expect(currencyExponent('jpy')).toBe(0);
    expect(isKnownCurrency('eur')).toBe(true);
  });

  it.each(['EUD', 'EUR ', '', 'XAU', 'euro'])('rejects %j', (code) => {
    expect(isKnownCurrency(code)).toBe(false);
    expect(() => currencyExponent(code)).toThrow(RangeError);
  });
});

describe('applyBasisPoints', () => {
  it('computes exact results without rounding', () => {
    expect(applyBasisPoints(10_000, 1500)).toBe(1500);
    expect(applyBasisPoints(0, 1500)).toBe(0);
    expect(applyBasisPoints(999, 10_000)).toBe(999);
  });

  it('rounds halves up by default', () => {
    expect(applyBasisPoints(5, 5000)).toBe(3); // 2.5
    expect(applyBasisPoints(7, 5000)).toBe(4); // 3.5
    expect(applyBasisPoints(1, 4999)).toBe(0);
    expect(applyBasisPoints(1, 5001)).toBe(1);
  });

  it('rounds halves to even when asked', () => {
    expect(applyBasisPoints(5, 5000, 'half_even')).toBe(2); // 2.5
    expect(applyBasisPoints(7, 5000, 'half_even')).toBe(4); // 3.5
    expect(applyBasisPoints(3, 5000, 'half_even')).toBe(2); // 1.5
    expect(applyBasisPoints(1, 5001, 'half_even')).toBe(1);
  });

  it('stays exact where a float product would lose precision', () => {
    const amount = Number.MAX_SAFE_INTEGER;
    expect(applyBasisPoints(amount, 10_000)).toBe(amount);
    expect(applyBasisPoints(amount, 5000)).toBe(4_503_599_627_370_496); // (2^53-1)/2 = ...495.5
  });

  it('throws when the result would not be a safe integer', () => {
    expect(() => applyBasisPoints(Number.MAX_SAFE_INTEGER, 20_000)).toThrow(RangeError);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('rejects amount %d', (amount) => {
    expect(() => applyBasisPoints(amount, 100)).toThrow(RangeError);
  });

  it('rejects fractional or negative basis points', () => {
    expect(() => applyBasisPoints(100, 1.5)).toThrow(RangeError);
    expect(() => applyBasisPoints(100, -1)).toThrow(RangeError);
  });

  it('matches exact rational rounding for any inputs', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1e12 }), fc.nat({ max: 10_000 }), (amount, bps) => {
        const product = BigInt(amount) * BigInt(bps);
        const floor = product / 10_000n;
        const twiceRemainder = (product % 10_000n) * 2n;
        const halfUp = twiceRemainder >= 10_000n ? floor + 1n : floor;
        expect(applyBasisPoints(amount, bps)).toBe(Number(halfUp));
        const halfEven = Math.abs(applyBasisPoints(amount, bps, 'half_even') - Number(halfUp));
        expect(halfEven).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('mulDivRounded', () => {
  it('extracts included tax', () => {
    expect(mulDivRounded(12_000, 2000, 12_000)).toBe(2000); // 20% VAT inside 120.00
    expect(mulDivRounded(1000, 1900, 11_900)).toBe(160); // 159.66 -> 160
  });

  it('rejects a zero denominator', () => {
    expect(() => mulDivRounded(1, 1, 0)).toThrow(RangeError);
  });
});

describe('prorate', () => {
  it('splits proportionally', () => {
    expect(prorate(100, [1, 1, 2])).toEqual([25, 25, 50]);
  });

  it('gives leftover units to the largest remainders', () => {
    expect(prorate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(prorate(10, [3, 3, 4])).toEqual([3, 3, 4]);
    expect(prorate(2, [1, 2, 2])).toEqual([0, 1, 1]);
  });

  it('breaks remainder ties by lower index', () => {
    expect(prorate(1, [1, 1])).toEqual([1, 0]);
    expect(prorate(2, [5, 5, 5])).toEqual([1, 1, 0]);
  });

  it('gives zero weights nothing', () => {
    expect(prorate(7, [0, 3, 0, 4])).toEqual([0, 3, 0, 4]);
    expect(prorate(1, [0, 1, 1])).toEqual([0, 1, 0]);
  });

  it('handles all-zero weights only for a zero total', () => {
    expect(prorate(0, [0, 0])).toEqual([0, 0]);
    expect(prorate(0, [])).toEqual([]);
    expect(() => prorate(1, [0, 0])).toThrow(RangeError);
    expect(() => prorate(1, [])).toThrow(RangeError);
  });

  it('rejects negative or fractional input', () => {
    expect(() => prorate(-1, [1])).toThrow(RangeError);
    expect(() => prorate(1.5, [1])).toThrow(RangeError);
    expect(() => prorate(1, [-1, 2])).toThrow(RangeError);
    expect(() => prorate(1, [0.5, 0.5])).toThrow(RangeError);
  });

  it('is exact for huge values', () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(prorate(max, [max, max])).toEqual([(max + 1) / 2, (max - 1) / 2]);
  });

  it('always sums to the total, stays within one unit of the exact share, and respects weights', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 1e12 }),
        fc.array(fc.nat({ max: 1e9 }), { minLength: 1, maxLength: 20 }),
        (total, weights) => {
          fc.pre(weights.some((w) => w > 0));
          const shares = prorate(total, weights);
          const weightSum = weights.reduce((a, b) => a + b, 0);
          expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
          shares.forEach((share, i) => {
            const weight = weights[i] ?? 0;
            expect(Number.isSafeInteger(share)).toBe(true);
            expect(share).toBeGreaterThanOrEqual(0);
            if (weight === 0) expect(share).toBe(0);
            const error = BigInt(share) * BigInt(weightSum) - BigInt(total) * BigInt(weight);
            expect(error < BigInt(weightSum) && error > -BigInt(weightSum)).toBe(true);
            if (total <= weightSum) expect(share).toBeLessThanOrEqual(weight);
          });
        },
      ),
    );
  });
});

describe('guards', () => {
  it('assertMinorUnits accepts only non-negative safe integers', () => {
    expect(() => assertMinorUnits(0, 'x')).not.toThrow();
    expect(() => assertMinorUnits(-0.5, 'x')).toThrow(RangeError);
    expect(() => assertMinorUnits('1', 'x')).toThrow(/x must be/);
  });

  it('sumMinorUnits refuses to overflow', () => {
    expect(sumMinorUnits([1, 2, 3])).toBe(6);
    expect(() => sumMinorUnits([Number.MAX_SAFE_INTEGER, 1])).toThrow(RangeError);
  });
});
