import { describe, expect, it } from 'vitest';
import { CooccurrenceCounts } from './cooccurrence.js';
import { buildCosineIndex, cosineNeighbours } from './cosine.js';

function countsOf(baskets: string[][]): CooccurrenceCounts {
  const counts = new CooccurrenceCounts();
  for (const basket of baskets) counts.addBasket(basket);
  return counts;
}

describe('cosineNeighbours', () => {
  // bread: 4 baskets; butter with bread in 3 of them; caviar once, with bread.
  const counts = countsOf([
    ['bread', 'butter'],
    ['bread', 'butter'],
    ['bread', 'butter', 'caviar'],
    ['bread'],
    ['butter'],
  ]);

  it('scores n_ab / √(n_a·n_b) without shrinkage', () => {
    expect(cosineNeighbours(counts, 'bread', { shrinkage: 0, neighbours: 10 })).toEqual([
      { productId: 'butter', score: 3 / Math.sqrt(4 * 4) },
      { productId: 'caviar', score: 1 / Math.sqrt(4 * 1) },
    ]);
  });

  it('shrinks pairs with little support so a one-off co-purchase ranks below a habit', () => {
    // tea twice, with biscuits both times; saffron (bought once ever) joined it once.
    const teaCounts = countsOf([
      ['tea', 'biscuits'],
      ['tea', 'biscuits', 'saffron'],
      ...Array.from({ length: 6 }, () => ['biscuits']),
    ]);
    const plain = cosineNeighbours(teaCounts, 'tea', { shrinkage: 0, neighbours: 10 });
    expect(plain.map((n) => n.productId)).toEqual(['saffron', 'biscuits']);

    const shrunk = cosineNeighbours(teaCounts, 'tea', { shrinkage: 2, neighbours: 10 });
    expect(shrunk).toEqual([
      { productId: 'biscuits', score: (2 / Math.sqrt(2 * 8)) * (2 / 4) },
      { productId: 'saffron', score: (1 / Math.sqrt(2 * 1)) * (1 / 3) },
    ]);
  });

  it('keeps only the requested number of neighbours, and none for unknown products', () => {
    expect(cosineNeighbours(counts, 'bread', { shrinkage: 0, neighbours: 1 })).toHaveLength(1);
    expect(cosineNeighbours(counts, 'unknown', { shrinkage: 0, neighbours: 10 })).toEqual([]);
  });
});

describe('buildCosineIndex', () => {
  it('lists every product that has a partner, and no product without one', () => {
    const index = buildCosineIndex(countsOf([['a', 'b'], ['c']]), { shrinkage: 0, neighbours: 50 });
    expect([...index.keys()].sort()).toEqual(['a', 'b']);
    expect(index.get('a')).toEqual([{ productId: 'b', score: 1 }]);
  });
});
