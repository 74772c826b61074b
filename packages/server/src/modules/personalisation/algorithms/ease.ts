import type { CooccurrenceSource } from './cooccurrence.js';
import { compareScored } from './ranking.js';
import { invertSymmetricPositiveDefinite } from './spd-inverse.js';
import type { NeighbourIndex, ProductId, ScoredProduct } from './types.js';

export interface EaseOptions {
  /** L2 penalty λ on the item-item weights; larger favours popular, well-supported pairs. */
  readonly lambda: number;
  /** Only the most bought products enter the dense model: cost grows as maxItems³ and memory as maxItems². */
  readonly maxItems: number;
  /** Weights kept per product (largest magnitude first, so strong negative evidence survives too). */
  readonly neighbours: number;
}

/**
 * EASE (Steck 2019, "Embarrassingly Shallow Autoencoders"): the item-item weights B that best
 * reconstruct each basket from its other items under an L2 penalty, in closed form
 * P = (XᵀX + λI)⁻¹, B[i][j] = −P[i][j] / P[j][j]. XᵀX is exactly the item counts (diagonal)
 * and pair counts (off-diagonal), so it is rebuilt from the persisted counts alone. Unlike a
 * cosine, a weight is conditioned on the rest of the basket, so a product that co-occurs only
 * through a common partner is not counted twice.
 */
export function buildEaseIndex(source: CooccurrenceSource, options: EaseOptions): NeighbourIndex {
  const modelled = mostFrequent(source, options.maxItems);
  const n = modelled.length;
  const position = new Map(modelled.map((productId, i) => [productId, i]));

  const gram = new Float64Array(n * n);
  modelled.forEach((productId, i) => {
    gram[i * n + i] = source.itemCount(productId) + options.lambda;
    for (const [partner, together] of source.pairCounts(productId)) {
      const j = position.get(partner);
      if (j !== undefined) gram[i * n + j] = together;
    }
  });
  const precision = invertSymmetricPositiveDefinite(gram, n);

  const index = new Map<ProductId, readonly ScoredProduct[]>();
  for (let i = 0; i < n; i++) {
    const weights: ScoredProduct[] = [];
    for (let j = 0; j < n; j++) {
      const weight = i === j ? 0 : -precision[i * n + j] / precision[j * n + j];
      if (weight !== 0) weights.push({ productId: modelled[j], score: weight });
    }
    weights.sort((a, b) => Math.abs(b.score) - Math.abs(a.score) || compareScored(a, b));
    const strongest = weights.slice(0, options.neighbours).sort(compareScored);
    if (strongest.length > 0) index.set(modelled[i], strongest);
  }
  return index;
}

function mostFrequent(source: CooccurrenceSource, limit: number): ProductId[] {
  return [...source.products()]
    .map((productId) => ({ productId, score: source.itemCount(productId) }))
    .filter((item) => item.score > 0)
    .sort(compareScored)
    .slice(0, limit)
    .map((item) => item.productId);
}
