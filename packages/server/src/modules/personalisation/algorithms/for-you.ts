import { aggregateNeighbourScores } from './neighbour-index.js';
import { fillFrom, topScored } from './ranking.js';
import { decayFactor } from './trending.js';
import type { NeighbourIndex, ProductId, ScoredProduct } from './types.js';

export type InteractionKind = 'view' | 'cart' | 'purchase';

export interface Interaction {
  readonly productId: ProductId;
  readonly kind: InteractionKind;
  /** Epoch milliseconds. */
  readonly at: number;
}

export interface ForYouOptions {
  readonly now: number;
  /** Age at which an interaction counts half as much as one happening now. */
  readonly halfLifeMs: number;
  /** A purchase says more about taste than a cart add, which says more than a view. */
  readonly kindWeights: Readonly<Record<InteractionKind, number>>;
  /** True for durable goods (one sofa is enough); false where customers re-order (consumables, wholesale). */
  readonly excludePurchased: boolean;
  /**
   * How much a product's own interest counts towards recommending it again ("buy again",
   * the abandoned cart), relative to one unit of neighbour evidence. 0 = only neighbours count.
   */
  readonly ownInterestWeight: number;
  readonly limit: number;
  /** Shoppers without history, or with too little, get these (typically trending). */
  readonly fallback: readonly ScoredProduct[];
}

/** interest(p) = Σ kindWeight · decay(now − at) over the shopper's interactions with p. */
export function interestWeights(
  history: readonly Interaction[],
  options: ForYouOptions,
): Map<ProductId, number> {
  const interest = new Map<ProductId, number>();
  for (const { productId, kind, at } of history) {
    const weight = options.kindWeights[kind] * decayFactor(options.now - at, options.halfLifeMs);
    interest.set(productId, (interest.get(productId) ?? 0) + weight);
  }
  return interest;
}

/** intent=for_you: neighbour lists of everything the shopper touched, weighted by interest. */
export function recommendForYou(
  index: NeighbourIndex,
  history: readonly Interaction[],
  options: ForYouOptions,
): ScoredProduct[] {
  const interest = interestWeights(history, options);
  const exclude = new Set(
    options.excludePurchased
      ? history.filter((event) => event.kind === 'purchase').map((event) => event.productId)
      : [],
  );
  const scores = aggregateNeighbourScores(index, interest, exclude);
  if (options.ownInterestWeight > 0) {
    for (const [productId, weight] of interest) {
      if (!exclude.has(productId)) {
        scores.set(productId, (scores.get(productId) ?? 0) + options.ownInterestWeight * weight);
      }
    }
  }
  return fillFrom(topScored(scores, options.limit), options.fallback, exclude, options.limit);
}
