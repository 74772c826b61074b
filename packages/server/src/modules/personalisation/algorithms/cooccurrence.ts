import type { ProductId } from './types.js';

/**
 * Row shapes the service persists: `item_counts(product_id, count)`,
 * `pair_counts(product_a, product_b, count)` with product_a < product_b, and the
 * total basket weight. Every item-item score in this module is computed from these alone.
 */
export interface ItemCountRow {
  readonly productId: ProductId;
  readonly count: number;
}

export interface PairCountRow {
  readonly productA: ProductId;
  readonly productB: ProductId;
  readonly count: number;
}

/** A full snapshot, or an increment to add to one (the same shape: counts are additive). */
export interface CooccurrenceRows {
  readonly totalBaskets: number;
  readonly items: readonly ItemCountRow[];
  readonly pairs: readonly PairCountRow[];
}

/** What the scorers read; implemented by raw counts and by weighted blends of them. */
export interface CooccurrenceSource {
  readonly totalBaskets: number;
  itemCount(productId: ProductId): number;
  /** Products seen together with `productId`, with their (weighted) pair count. */
  pairCounts(productId: ProductId): ReadonlyMap<ProductId, number>;
  products(): Iterable<ProductId>;
}

const EMPTY: ReadonlyMap<ProductId, number> = new Map();

// Fractional weights (views) accumulate float error; a retracted basket must leave no ghost pair.
const ZERO_TOLERANCE = 1e-9;

/**
 * The increment one basket (an order, or one session of product views) contributes:
 * each distinct product +weight, each unordered pair +weight. A negative weight retracts
 * a basket, e.g. when an order is cancelled.
 */
export function basketDelta(productIds: Iterable<ProductId>, weight = 1): CooccurrenceRows {
  const distinct = [...new Set(productIds)].sort();
  const pairs: PairCountRow[] = [];
  for (let i = 0; i < distinct.length; i++) {
    for (let j = i + 1; j < distinct.length; j++) {
      pairs.push({ productA: distinct[i], productB: distinct[j], count: weight });
    }
  }
  return {
    totalBaskets: distinct.length > 0 ? weight : 0,
    items: distinct.map((productId) => ({ productId, count: weight })),
    pairs,
  };
}

/**
 * Several increments as one (e.g. the baskets of the orders counted together): counts of the
 * same item or pair add up, and one that sums to zero is left out, as it changes nothing.
 */
export function sumDeltas(deltas: Iterable<CooccurrenceRows>): CooccurrenceRows {
  let totalBaskets = 0;
  const items = new Map<ProductId, number>();
  const pairs = new Map<ProductId, Map<ProductId, number>>();
  for (const delta of deltas) {
    totalBaskets += delta.totalBaskets;
    for (const { productId, count } of delta.items) items.set(productId, (items.get(productId) ?? 0) + count);
    for (const { productA, productB, count } of delta.pairs) {
      const partners = partnersOf(pairs, productA);
      partners.set(productB, (partners.get(productB) ?? 0) + count);
    }
  }
  const nonZero = (count: number) => Math.abs(count) >= ZERO_TOLERANCE;
  return {
    totalBaskets,
    items: [...items]
      .filter(([, count]) => nonZero(count))
      .map(([productId, count]) => ({ productId, count })),
    pairs: [...pairs].flatMap(([productA, partners]) =>
      [...partners]
        .filter(([, count]) => nonZero(count))
        .map(([productB, count]) => ({ productA, productB, count })),
    ),
  };
}

/** Item and pair counts over a stream of baskets, updatable one basket at a time. */
export class CooccurrenceCounts implements CooccurrenceSource {
  #totalBaskets = 0;
  readonly #items = new Map<ProductId, number>();
  // Symmetric adjacency: both directions are stored so a product's partners are one lookup.
  readonly #pairs = new Map<ProductId, Map<ProductId, number>>();

  static fromRows(rows: CooccurrenceRows): CooccurrenceCounts {
    const counts = new CooccurrenceCounts();
    counts.apply(rows);
    return counts;
  }

  /** Adds one basket and returns the increment, for the caller to upsert into its tables. */
  addBasket(productIds: Iterable<ProductId>, weight = 1): CooccurrenceRows {
    const delta = basketDelta(productIds, weight);
    this.apply(delta);
    return delta;
  }

  /** Adds an increment from `addBasket`/`basketDelta`, or a snapshot loaded from the tables. */
  apply(rows: CooccurrenceRows): void {
    this.#totalBaskets += rows.totalBaskets;
    for (const { productId, count } of rows.items) addTo(this.#items, productId, count);
    for (const { productA, productB, count } of rows.pairs) {
      addTo(partnersOf(this.#pairs, productA), productB, count);
      addTo(partnersOf(this.#pairs, productB), productA, count);
      // Only a retraction can empty a product's partner list.
      if (count < 0) {
        if (this.#pairs.get(productA)?.size === 0) this.#pairs.delete(productA);
        if (this.#pairs.get(productB)?.size === 0) this.#pairs.delete(productB);
      }
    }
  }

  toRows(): CooccurrenceRows {
    const pairs: PairCountRow[] = [];
    for (const [productA, partners] of this.#pairs) {
      for (const [productB, count] of partners)
        if (productA < productB) pairs.push({ productA, productB, count });
    }
    const items = [...this.#items].map(([productId, count]) => ({ productId, count }));
    return { totalBaskets: this.#totalBaskets, items, pairs };
  }

  get totalBaskets(): number {
    return this.#totalBaskets;
  }

  itemCount(productId: ProductId): number {
    return this.#items.get(productId) ?? 0;
  }

  pairCounts(productId: ProductId): ReadonlyMap<ProductId, number> {
    return this.#pairs.get(productId) ?? EMPTY;
  }

  products(): Iterable<ProductId> {
    return this.#items.keys();
  }
}

function partnersOf(pairs: Map<ProductId, Map<ProductId, number>>, productId: ProductId) {
  let partners = pairs.get(productId);
  if (!partners) {
    partners = new Map();
    pairs.set(productId, partners);
  }
  return partners;
}

function addTo(counts: Map<ProductId, number>, productId: ProductId, amount: number): void {
  const next = (counts.get(productId) ?? 0) + amount;
  if (Math.abs(next) < ZERO_TOLERANCE) counts.delete(productId);
  else counts.set(productId, next);
}

/**
 * A weighted sum of count sources, e.g. co-purchases + 0.2 × co-views for the `related`
 * intent. Computed on read, so the weights can change without a rebuild.
 */
export function blendCooccurrence(
  parts: readonly { readonly source: CooccurrenceSource; readonly weight: number }[],
): CooccurrenceSource {
  return {
    totalBaskets: parts.reduce((sum, { source, weight }) => sum + weight * source.totalBaskets, 0),
    itemCount: (productId) =>
      parts.reduce((sum, { source, weight }) => sum + weight * source.itemCount(productId), 0),
    pairCounts(productId) {
      const blended = new Map<ProductId, number>();
      for (const { source, weight } of parts) {
        for (const [partner, count] of source.pairCounts(productId)) {
          blended.set(partner, (blended.get(partner) ?? 0) + weight * count);
        }
      }
      return blended;
    },
    products: () => new Set(parts.flatMap(({ source }) => [...source.products()])),
  };
}
