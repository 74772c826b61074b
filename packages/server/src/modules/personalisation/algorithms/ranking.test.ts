import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareScored, fillFrom, topScored } from './ranking.js';

describe('topScored', () => {
  it('equals sorting all positive scores and cutting at the limit', () => {
    const scores = fc.array(
      fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), fc.integer({ min: -3, max: 5 })),
    );
    fc.assert(
      fc.property(scores, fc.integer({ min: 0, max: 9 }), (entries, limit) => {
        const map = new Map(entries);
        const expected = [...map]
          .filter(([, score]) => score > 0)
          .map(([productId, score]) => ({ productId, score }))
          .sort(compareScored)
          .slice(0, limit);
        expect(topScored(map, limit)).toEqual(expected);
      }),
    );
  });
});

describe('fillFrom', () => {
  it('keeps the ranked list and appends fallback products that are new and not excluded', () => {
    const ranked = [{ productId: 'a', score: 2 }];
    const fallback = ['a', 'x', 'b', 'c'].map((productId) => ({ productId, score: 1 }));
    expect(fillFrom(ranked, fallback, new Set(['x']), 3).map((r) => r.productId)).toEqual(['a', 'b', 'c']);
  });
});
