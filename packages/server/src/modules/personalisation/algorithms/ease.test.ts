import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CooccurrenceCounts } from './cooccurrence.js';
import { buildEaseIndex } from './ease.js';
import { invertSymmetricPositiveDefinite } from './spd-inverse.js';

function countsOf(baskets: readonly (readonly string[])[]): CooccurrenceCounts {
  const counts = new CooccurrenceCounts();
  for (const basket of baskets) counts.addBasket(basket);
  return counts;
}

const weight = (index: ReturnType<typeof buildEaseIndex>, from: string, to: string) =>
  index.get(from)?.find((n) => n.productId === to)?.score ?? 0;

describe('buildEaseIndex', () => {
  it('reduces to one-variable ridge regression for two products: w(a→b) = n_ab / (n_a + λ)', () => {
    const counts = countsOf([['a', 'b'], ['a', 'b'], ['a', 'b'], ['a'], ['b']]);
    const index = buildEaseIndex(counts, { lambda: 1, maxItems: 10, neighbours: 10 });
    expect(weight(index, 'a', 'b')).toBeCloseTo(3 / (4 + 1), 12);
    expect(weight(index, 'b', 'a')).toBeCloseTo(3 / (4 + 1), 12);
  });

  it("equals, for every target product, the ridge regression of its column on all the others'", () => {
    const products = ['p0', 'p1', 'p2', 'p3', 'p4'];
    const baskets = fc.array(fc.uniqueArray(fc.constantFrom(...products), { minLength: 1 }), {
      minLength: 1,
      maxLength: 25,
    });
    fc.assert(
      fc.property(baskets, fc.double({ min: 0.5, max: 20, noNaN: true }), (list, lambda) => {
        const counts = countsOf(list);
        const index = buildEaseIndex(counts, { lambda, maxItems: 10, neighbours: 10 });
        const modelled = products.filter((p) => counts.itemCount(p) > 0);
        const gram = (a: string, b: string) =>
          a === b ? counts.itemCount(a) : (counts.pairCounts(a).get(b) ?? 0);

        for (const target of modelled) {
          // β = (X₋ᵀX₋ + λI)⁻¹ X₋ᵀx_target, solved independently of the EASE closed form.
          const others = modelled.filter((p) => p !== target);
          const m = others.length;
          if (m === 0) continue;
          const system = new Float64Array(m * m);
          for (let i = 0; i < m; i++) {
            for (let j = 0; j < m; j++)
              system[i * m + j] = gram(others[i], others[j]) + (i === j ? lambda : 0);
          }
          const inverse = invertSymmetricPositiveDefinite(system, m);
          others.forEach((source, i) => {
            const beta = others.reduce((sum, other, j) => sum + inverse[i * m + j] * gram(other, target), 0);
            expect(weight(index, source, target)).toBeCloseTo(beta, 9);
          });
        }
      }),
    );
  });

  it('credits the product that explains a co-purchase, not the one that merely tags along', () => {
    // Printer ink is bought with printers; cables ride along with printers but say nothing extra.
    const counts = countsOf([
      ...Array.from({ length: 6 }, () => ['printer', 'ink', 'cable']),
      ...Array.from({ length: 6 }, () => ['cable']),
      ...Array.from({ length: 2 }, () => ['printer', 'ink']),
    ]);
    const index = buildEaseIndex(counts, { lambda: 1, maxItems: 10, neighbours: 10 });
    expect(weight(index, 'printer', 'ink')).toBeGreaterThan(0.5);
    expect(weight(index, 'printer', 'ink')).toBeGreaterThan(5 * Math.abs(weight(index, 'cable', 'ink')));
  });

  it('models only the most bought products, and keeps the strongest weights of either sign', () => {
    const counts = countsOf([['a', 'b'], ['a', 'b'], ['a', 'c'], ['b', 'c'], ['a'], ['rare', 'a']]);
    const top3 = buildEaseIndex(counts, { lambda: 0.5, maxItems: 3, neighbours: 10 });
    expect([...top3.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(weight(top3, 'a', 'rare')).toBe(0);

    const lists = buildEaseIndex(counts, { lambda: 0.5, maxItems: 10, neighbours: 1 });
    for (const list of lists.values()) expect(list).toHaveLength(1);
    const full = buildEaseIndex(counts, { lambda: 0.5, maxItems: 10, neighbours: 10 });
    expect([...full.values()].flat().some((n) => n.score < 0)).toBe(true);
  });
});
