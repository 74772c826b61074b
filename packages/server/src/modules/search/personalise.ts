/**
 * Personalised ranking: a pure, bounded re-ranking of results the shopper already matched.
 *
 *   final = relevance × (1 + β · affinity),   affinity ∈ [0, 1],   0 ≤ β ≤ MAX_BLEND (0.3)
 *
 * so personalisation can lift a result by at most 30 % of its own relevance: a result whose
 * relevance exceeds another's by more than that factor always stays ahead of it, and with no
 * affinity the order is the relevance order. The personalisation module learns the affinities;
 * search and the product list only apply them here.
 */

/** What a shopper tends to like; every weight is read clamped to [0, 1]. */
export interface Affinities {
  /** Category ID → weight. A result matches through any of its categories (ancestors included). */
  categories: Record<string, number>;
  /** `name:value` of a product attribute (e.g. `brand:Acme`) → weight. */
  attributes: Record<string, number>;
  /** The price band (minor units, inclusive) the shopper buys in; null when unknown. */
  priceBand: { low: number; high: number } | null;
}

export interface Rankable {
  /** Non-negative relevance; results arrive sorted by it, highest first. */
  relevance: number;
  categoryIds: readonly string[];
  /** `name:value` attribute pairs. */
  attributes: readonly string[];
  /** From-price in minor units; null when unpriced. */
  price: number | null;
}

export const MAX_BLEND = 0.3;
export const DEFAULT_BLEND = 0.2;
/** How the three signals add up to one affinity (they sum to 1, so affinity ≤ 1). */
export const SIGNAL_WEIGHTS = { categories: 0.5, attributes: 0.3, priceBand: 0.2 } as const;

const unit = (value: number | undefined) =>
  value === undefined || !Number.isFinite(value) ? 0 : Math.min(1, Math.max(0, value));

function strongest(keys: readonly string[], weights: Record<string, number>): number {
  let best = 0;
  for (const key of keys) if (Object.hasOwn(weights, key)) best = Math.max(best, unit(weights[key]));
  return best;
}

/** The shopper's affinity for one result, in [0, 1]. */
export function affinityOf(item: Rankable, affinities: Affinities): number {
  const band = affinities.priceBand;
  const inBand = band !== null && item.price !== null && item.price >= band.low && item.price <= band.high;
  return (
    SIGNAL_WEIGHTS.categories * strongest(item.categoryIds, affinities.categories) +
    SIGNAL_WEIGHTS.attributes * strongest(item.attributes, affinities.attributes) +
    SIGNAL_WEIGHTS.priceBand * (inBand ? 1 : 0)
  );
}

/**
 * Re-ranks `results` (given in relevance order) for one shopper. Stable: equal final scores
 * keep their input order. `blend` is clamped to [0, MAX_BLEND].
 */
export function personalisedRank<T extends Rankable>(
  results: readonly T[],
  affinities: Affinities | null,
  options: { blend?: number } = {},
): T[] {
  const blend = Math.min(MAX_BLEND, Math.max(0, options.blend ?? DEFAULT_BLEND));
  if (affinities === null || blend === 0) return [...results];
  return results
    .map((item, index) => ({
      item,
      index,
      score: Math.max(0, item.relevance) * (1 + blend * affinityOf(item, affinities)),
    }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map(({ item }) => item);
}
