import { compareScored } from './ranking.js';
import type { NeighbourIndex, ProductId, ScoredProduct } from './types.js';

export interface NeighbourLayer {
  readonly index: NeighbourIndex;
  /** Multiplies the layer's scores, so lists from different scorers are comparable when summed. */
  readonly scale: number;
}

/**
 * One serving index from several scorers in order of trust (e.g. EASE for the products it
 * models, then shrunk cosine for the long tail, then content similarity for products nobody
 * has bought yet): each product takes its list from the first layer that has one.
 */
export function layerNeighbourIndexes(layers: readonly NeighbourLayer[]): NeighbourIndex {
  const merged = new Map<ProductId, readonly ScoredProduct[]>();
  for (const { index, scale } of layers) {
    for (const [productId, neighbours] of index) {
      if (merged.has(productId) || neighbours.length === 0) continue;
      merged.set(
        productId,
        neighbours.map((neighbour) => ({ productId: neighbour.productId, score: neighbour.score * scale })),
      );
    }
  }
  return merged;
}

/**
 * score(c) = Σ_seed weight(seed) · neighbourScore(seed → c), over the seeds' neighbour lists:
 * the cost is (number of seeds) × (list length), whatever the catalogue size.
 */
export function aggregateNeighbourScores(
  index: NeighbourIndex,
  seeds: ReadonlyMap<ProductId, number>,
  exclude: ReadonlySet<ProductId>,
): Map<ProductId, number> {
  const scores = new Map<ProductId, number>();
  for (const [seed, weight] of seeds) {
    for (const neighbour of index.get(seed) ?? []) {
      scores.set(neighbour.productId, (scores.get(neighbour.productId) ?? 0) + weight * neighbour.score);
    }
  }
  // Excluding once at the end is cheaper than a set lookup per neighbour on this hot path.
  for (const productId of exclude) scores.delete(productId);
  return scores;
}

/** Row shape of the persisted serving index: `(product_id, neighbour_id, score)`, rank = order by score. */
export interface NeighbourRow {
  readonly productId: ProductId;
  readonly neighbourId: ProductId;
  readonly score: number;
}

export function neighbourRows(index: NeighbourIndex): NeighbourRow[] {
  return [...index].flatMap(([productId, neighbours]) =>
    neighbours.map((neighbour) => ({ productId, neighbourId: neighbour.productId, score: neighbour.score })),
  );
}

/** Rebuilds the index from rows in any order; each list comes back best first. */
export function neighbourIndexFromRows(rows: Iterable<NeighbourRow>): NeighbourIndex {
  const index = new Map<ProductId, ScoredProduct[]>();
  for (const { productId, neighbourId, score } of rows) {
    const list = index.get(productId);
    if (list) list.push({ productId: neighbourId, score });
    else index.set(productId, [{ productId: neighbourId, score }]);
  }
  for (const list of index.values()) list.sort(compareScored);
  return index;
}
