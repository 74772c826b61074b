import type { NeighbourIndex, ProductId } from './algorithms/index.js';

/**
 * For each recommended product, the seed that contributed most to its score (seed weight ×
 * neighbour score): the "X" of "bought together with X". Pure, over the same lists the
 * recommender summed.
 */
export function strongestSeeds(
  index: NeighbourIndex,
  seeds: ReadonlyMap<ProductId, number>,
): Map<ProductId, ProductId> {
  const best = new Map<ProductId, { seed: ProductId; contribution: number }>();
  for (const [seed, weight] of seeds) {
    for (const neighbour of index.get(seed) ?? []) {
      const contribution = weight * neighbour.score;
      const current = best.get(neighbour.productId);
      if (!current || contribution > current.contribution)
        best.set(neighbour.productId, { seed, contribution });
    }
  }
  return new Map([...best].map(([productId, { seed }]) => [productId, seed]));
}

export const TRENDING_REASON = 'popular this week';
