import type { CooccurrenceSource } from './cooccurrence.js';
import { compareScored } from './ranking.js';
import type { NeighbourIndex, ProductId, ScoredProduct } from './types.js';

export interface CosineOptions {
  /**
   * Significance shrinkage β: the cosine is multiplied by n_ab / (n_ab + β), so a pair seen
   * together once (which scores cosine 1 between two rare products) cannot outrank a pair
   * seen together many times. 0 gives the plain cosine.
   */
  readonly shrinkage: number;
  /** Neighbours kept per product; Infinity keeps them all. */
  readonly neighbours: number;
}

/** cosine(a, b) = n_ab / √(n_a · n_b) on basket incidence, shrunk by pair support. */
export function cosineNeighbours(
  source: CooccurrenceSource,
  productId: ProductId,
  options: CosineOptions,
): ScoredProduct[] {
  const countA = source.itemCount(productId);
  if (countA <= 0) return [];
  const neighbours: ScoredProduct[] = [];
  for (const [partner, together] of source.pairCounts(productId)) {
    const countB = source.itemCount(partner);
    if (together <= 0 || countB <= 0) continue;
    const cosine = together / Math.sqrt(countA * countB);
    neighbours.push({ productId: partner, score: (cosine * together) / (together + options.shrinkage) });
  }
  return neighbours.sort(compareScored).slice(0, options.neighbours);
}

export function buildCosineIndex(source: CooccurrenceSource, options: CosineOptions): NeighbourIndex {
  const index = new Map<ProductId, readonly ScoredProduct[]>();
  for (const productId of source.products()) {
    const neighbours = cosineNeighbours(source, productId, options);
    if (neighbours.length > 0) index.set(productId, neighbours);
  }
  return index;
}
