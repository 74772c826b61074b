import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Affinities, affinityOf, MAX_BLEND, personalisedRank, type Rankable } from './personalise.js';

const CATEGORIES = ['cat_a', 'cat_b', 'cat_c'];
const ATTRIBUTES = ['brand:Acme', 'brand:Zeta', 'material:wool'];

const item = fc.record({
  id: fc.uuid(),
  relevance: fc.double({ min: 0, max: 10, noNaN: true }),
  categoryIds: fc.subarray(CATEGORIES),
  attributes: fc.subarray(ATTRIBUTES),
  price: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
});

const weights = (keys: string[]) =>
  fc.dictionary(fc.constantFrom(...keys), fc.double({ min: -1, max: 2, noNaN: true }));

const affinities: fc.Arbitrary<Affinities> = fc.record({
  categories: weights(CATEGORIES),
  attributes: weights(ATTRIBUTES),
  priceBand: fc.option(
    fc.tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 100_000 })).map(([a, b]) => ({
      low: Math.min(a, b),
      high: Math.max(a, b),
    })),
    { nil: null },
  ),
});

const byRelevance = (items: Array<Rankable & { id: string }>) =>
  [...items].sort((a, b) => b.relevance - a.relevance);
const blend = fc.double({ min: -1, max: 2, noNaN: true });

describe('personalisedRank', () => {
  it('never puts a result below one whose relevance is lower by more than the blend allows', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 30 }), affinities, blend, (items, shopper, beta) => {
        const ranked = personalisedRank(byRelevance(items), shopper, { blend: beta });
        ranked.forEach((higher, i) => {
          for (const lower of ranked.slice(i + 1))
            expect(lower.relevance <= higher.relevance * (1 + MAX_BLEND)).toBe(true);
        });
      }),
    );
  });

  it('leaves the relevance order alone when every affinity is zero, or there are none', () => {
    const zero = fc.record({
      categories: fc.dictionary(fc.constantFrom(...CATEGORIES), fc.constant(0)),
      attributes: fc.dictionary(fc.constantFrom(...ATTRIBUTES), fc.constant(0)),
      priceBand: fc.constant(null),
    });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 30 }), zero, blend, (items, shopper, beta) => {
        const ordered = byRelevance(items);
        expect(personalisedRank(ordered, shopper, { blend: beta })).toEqual(ordered);
        expect(personalisedRank(ordered, null)).toEqual(ordered);
      }),
    );
  });

  it('returns the same results, each once, with an affinity in [0, 1]', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 30 }), affinities, (items, shopper) => {
        const ranked = personalisedRank(byRelevance(items), shopper);
        expect([...ranked].sort((a, b) => a.id.localeCompare(b.id))).toEqual(
          [...items].sort((a, b) => a.id.localeCompare(b.id)),
        );
        for (const result of items) {
          const affinity = affinityOf(result, shopper);
          expect(affinity).toBeGreaterThanOrEqual(0);
          expect(affinity).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('lifts a liked result past a slightly more relevant one', () => {
    const results = [
      { id: 'a', relevance: 1, categoryIds: ['cat_a'], attributes: [], price: 1000 },
      { id: 'b', relevance: 0.95, categoryIds: ['cat_b'], attributes: ['brand:Acme'], price: 2000 },
    ];
    const shopper: Affinities = {
      categories: { cat_b: 1 },
      attributes: { 'brand:Acme': 1 },
      priceBand: { low: 1500, high: 2500 },
    };
    expect(personalisedRank(results, shopper).map((r) => r.id)).toEqual(['b', 'a']);
    expect(personalisedRank(results, shopper, { blend: 0 }).map((r) => r.id)).toEqual(['a', 'b']);
  });
});
