/** Products are identified by the catalogue's opaque product id. */
export type ProductId = string;

export interface ScoredProduct {
  readonly productId: ProductId;
  readonly score: number;
}

/**
 * The serving structure every intent reads: for each product, its strongest neighbours,
 * best first. It is precomputed (and persisted as `(product_id, neighbour_id, score)` rows),
 * so a request only sums a handful of short lists.
 */
export type NeighbourIndex = ReadonlyMap<ProductId, readonly ScoredProduct[]>;
