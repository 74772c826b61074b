import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  basketDelta,
  blendCooccurrence,
  CooccurrenceCounts,
  type CooccurrenceRows,
  sumDeltas,
} from './cooccurrence.js';

const sortedRows = (rows: CooccurrenceRows) => ({
  totalBaskets: rows.totalBaskets,
  items: [...rows.items].sort((a, b) => a.productId.localeCompare(b.productId)),
  pairs: [...rows.pairs].sort((a, b) =>
    `${a.productA}|${a.productB}`.localeCompare(`${b.productA}|${b.productB}`),
  ),
});

describe('basketDelta', () => {
  it('counts each distinct product once and each unordered pair once, with product_a < product_b', () => {
    expect(basketDelta(['b', 'a', 'c', 'a'])).toEqual({
      totalBaskets: 1,
      items: [
        { productId: 'a', count: 1 },
        { productId: 'b', count: 1 },
        { productId: 'c', count: 1 },
      ],
      pairs: [
        { productA: 'a', productB: 'b', count: 1 },
        { productA: 'a', productB: 'c', count: 1 },
        { productA: 'b', productB: 'c', count: 1 },
      ],
    });
  });

  it('contributes nothing for an empty basket', () => {
    expect(basketDelta([])).toEqual({ totalBaskets: 0, items: [], pairs: [] });
  });
});

describe('CooccurrenceCounts', () => {
  it('accumulates item counts, symmetric pair counts and the basket total', () => {
    const counts = new CooccurrenceCounts();
    counts.addBasket(['bread', 'butter', 'jam']);
    counts.addBasket(['bread', 'butter']);
    counts.addBasket(['milk']);

    expect(counts.totalBaskets).toBe(3);
    expect(counts.itemCount('bread')).toBe(2);
    expect(counts.itemCount('unknown')).toBe(0);
    expect(counts.pairCounts('butter')).toEqual(
      new Map([
        ['bread', 2],
        ['jam', 1],
      ]),
    );
    expect(counts.pairCounts('bread').get('butter')).toBe(2);
    expect(counts.pairCounts('milk').size).toBe(0);
  });

  it('retracts a basket with a negative weight, leaving no zero rows behind', () => {
    const counts = new CooccurrenceCounts();
    counts.addBasket(['a', 'b']);
    counts.addBasket(['a', 'b', 'c'], 0.3);
    counts.addBasket(['a', 'b', 'c'], -0.3);

    expect(counts.toRows()).toEqual({
      totalBaskets: 1,
      items: [
        { productId: 'a', count: 1 },
        { productId: 'b', count: 1 },
      ],
      pairs: [{ productA: 'a', productB: 'b', count: 1 }],
    });
    expect(counts.pairCounts('c').size).toBe(0);
  });

  const baskets = fc.array(
    fc.uniqueArray(fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5', 'p6'), { maxLength: 6 }),
    {
      maxLength: 30,
    },
  );

  it('gives the same counts whether built one basket at a time, in any order, or from persisted deltas', () => {
    fc.assert(
      fc.property(baskets, (list) => {
        const incremental = new CooccurrenceCounts();
        const persistedDeltas = list.map((basket) => incremental.addBasket(basket));

        const reversed = new CooccurrenceCounts();
        for (const basket of [...list].reverse()) reversed.addBasket(basket);

        const fromDatabase = new CooccurrenceCounts();
        for (const delta of persistedDeltas) fromDatabase.apply(delta);

        const expected = sortedRows(incremental.toRows());
        expect(sortedRows(reversed.toRows())).toEqual(expected);
        expect(sortedRows(CooccurrenceCounts.fromRows(incremental.toRows()).toRows())).toEqual(expected);
        expect(sortedRows(fromDatabase.toRows())).toEqual(expected);
      }),
    );
  });

  it('keeps pair counts no larger than either item count', () => {
    fc.assert(
      fc.property(baskets, (list) => {
        const counts = new CooccurrenceCounts();
        for (const basket of list) counts.addBasket(basket);
        for (const { productA, productB, count } of counts.toRows().pairs) {
          expect(count).toBeLessThanOrEqual(Math.min(counts.itemCount(productA), counts.itemCount(productB)));
        }
      }),
    );
  });
});

describe('sumDeltas', () => {
  const weightedBaskets = fc.array(
    fc.record({
      basket: fc.uniqueArray(fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5'), { maxLength: 5 }),
      weight: fc.constantFrom(1, -1, 0.3),
    }),
    { maxLength: 20 },
  );

  it('adds up to what counting the baskets one by one gives, retractions included', () => {
    fc.assert(
      fc.property(weightedBaskets, (list) => {
        const oneByOne = new CooccurrenceCounts();
        for (const { basket, weight } of list) oneByOne.addBasket(basket, weight);

        const together = CooccurrenceCounts.fromRows(
          sumDeltas(list.map(({ basket, weight }) => basketDelta(basket, weight))),
        );

        const rounded = (rows: CooccurrenceRows) => {
          const round = (count: number) => Math.round(count * 1e9) / 1e9;
          const sorted = sortedRows(rows);
          return {
            totalBaskets: round(sorted.totalBaskets),
            items: sorted.items.map((item) => ({ ...item, count: round(item.count) })),
            pairs: sorted.pairs.map((pair) => ({ ...pair, count: round(pair.count) })),
          };
        };
        expect(rounded(together.toRows())).toEqual(rounded(oneByOne.toRows()));
      }),
    );
  });

  it('leaves out what sums to zero and keeps pairs as product_a < product_b', () => {
    expect(
      sumDeltas([basketDelta(['b', 'a']), basketDelta(['a', 'c']), basketDelta(['a', 'b'], -1)]),
    ).toEqual({
      totalBaskets: 1,
      items: [
        { productId: 'a', count: 1 },
        { productId: 'c', count: 1 },
      ],
      pairs: [{ productA: 'a', productB: 'c', count: 1 }],
    });
  });
});

describe('blendCooccurrence', () => {
  it('weights each source on read', () => {
    const purchases = new CooccurrenceCounts();
    purchases.addBasket(['a', 'b']);
    const views = new CooccurrenceCounts();
    views.addBasket(['a', 'b']);
    views.addBasket(['a', 'c']);

    const blended = blendCooccurrence([
      { source: purchases, weight: 1 },
      { source: views, weight: 0.5 },
    ]);

    expect(blended.totalBaskets).toBe(2);
    expect(blended.itemCount('a')).toBe(2);
    expect(blended.pairCounts('a')).toEqual(
      new Map([
        ['b', 1.5],
        ['c', 0.5],
      ]),
    );
    expect(new Set(blended.products())).toEqual(new Set(['a', 'b', 'c']));
  });
});
