import type { CooccurrenceSource } from './cooccurrence.js';
import { compareScored } from './ranking.js';
import type { ScoredProduct } from './types.js';

/** The baseline every other recommender must beat: most baskets first. */
export function popularProducts(source: CooccurrenceSource, limit: number): ScoredProduct[] {
  return [...source.products()]
    .map((productId) => ({ productId, score: source.itemCount(productId) }))
    .filter((item) => item.score > 0)
    .sort(compareScored)
    .slice(0, limit);
}
