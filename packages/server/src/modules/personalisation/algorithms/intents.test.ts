import { describe, expect, it } from 'vitest';
import { CooccurrenceCounts } from './cooccurrence.js';
import { recommendComplementary, recommendRelated } from './intents.js';
import { popularProducts } from './popularity.js';
import type { NeighbourIndex } from './types.js';

const index: NeighbourIndex = new Map([
  [
    'pasta',
    [
      { productId: 'sauce', score: 0.6 },
      { productId: 'parmesan', score: 0.3 },
      { productId: 'rice', score: -0.2 },
    ],
  ],
  [
    'sauce',
    [
      { productId: 'pasta', score: 0.6 },
      { productId: 'parmesan', score: 0.2 },
      { productId: 'basil', score: 0.1 },
    ],
  ],
]);
const fallback = ['bread', 'sauce', 'milk', 'eggs'].map((productId, i) => ({ productId, score: 10 - i }));

describe('recommendComplementary', () => {
  it('lets every basket item vote, and never offers what is already in the basket', () => {
    const ranked = recommendComplementary(index, ['pasta', 'sauce'], { limit: 2, fallback });
    expect(ranked).toEqual([
      { productId: 'parmesan', score: 0.5 },
      { productId: 'basil', score: 0.1 },
    ]);
  });

  it('drops net-negative candidates and tops up from the fallback, skipping basket items', () => {
    const ranked = recommendComplementary(index, ['pasta'], { limit: 4, fallback });
    expect(ranked.map((r) => r.productId)).toEqual(['sauce', 'parmesan', 'bread', 'milk']);
  });

  it('serves a cold basket entirely from the fallback', () => {
    const ranked = recommendComplementary(index, ['unknown'], { limit: 2, fallback });
    expect(ranked.map((r) => r.productId)).toEqual(['bread', 'sauce']);
  });
});

describe('recommendRelated', () => {
  it("returns the product's own neighbours, never itself", () => {
    const ranked = recommendRelated(index, 'sauce', { limit: 3, fallback });
    expect(ranked.map((r) => r.productId)).toEqual(['pasta', 'parmesan', 'basil']);
    expect(recommendRelated(index, 'bread', { limit: 2, fallback }).map((r) => r.productId)).toEqual([
      'sauce',
      'milk',
    ]);
  });
});

describe('popularProducts', () => {
  it('ranks by basket count, ties by id', () => {
    const counts = new CooccurrenceCounts();
    for (const basket of [['b', 'a'], ['b'], ['c', 'a'], ['d']]) counts.addBasket(basket);
    expect(popularProducts(counts, 3)).toEqual([
      { productId: 'a', score: 2 },
      { productId: 'b', score: 2 },
      { productId: 'c', score: 1 },
    ]);
  });
});
