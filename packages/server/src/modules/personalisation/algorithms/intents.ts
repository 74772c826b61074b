import { aggregateNeighbourScores } from './neighbour-index.js';
import { fillFrom, topScored } from './ranking.js';
import type { NeighbourIndex, ProductId, ScoredProduct } from './types.js';

export interface IntentOptions {
  readonly limit: number;
  /** Used, in order, when the neighbour lists yield fewer than `limit` products (typically trending). */
  readonly fallback: readonly ScoredProduct[];
}

/** intent=related: the product's own neighbours (co-viewed + co-bought), never the product itself. */
export function recommendRelated(
  index: NeighbourIndex,
  productId: ProductId,
  options: IntentOptions,
): ScoredProduct[] {
  const exclude = new Set([productId]);
  const scores = aggregateNeighbourScores(index, new Map([[productId, 1]]), exclude);
  return fillFrom(topScored(scores, options.limit), options.fallback, exclude, options.limit);
}

/**
 * intent=complementary (and the cart): products bought together with the basket as a whole,
 * each basket item voting with its neighbour list; what is already in the basket is never offered.
 */
export function recommendComplementary(
  index: NeighbourIndex,
  basket: readonly ProductId[],
  options: IntentOptions,
): ScoredProduct[] {
  const inBasket = new Set(basket);
  const seeds = new Map([...inBasket].map((productId) => [productId, 1]));
  const scores = aggregateNeighbourScores(index, seeds, inBasket);
  return fillFrom(topScored(scores, options.limit), options.fallback, inBasket, options.limit);
}
