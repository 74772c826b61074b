import type { Executor } from '../../db/database.js';
import { getSellableVariants, getShelfProducts, type ShelfProduct } from '../catalog/index.js';
import { variantIdsOfProducts } from './catalog-facts.js';
import { TtlCache } from './ttl-cache.js';

export type { ShelfProduct };

export interface ShelfQuery {
  channelId: string;
  currency: string;
  customerGroupIds: readonly string[];
  segmentIds: readonly string[];
}

/**
 * Shelf answers per product and pricing scope, kept for a few seconds: the same head and
 * trending products are checked by almost every request. A product that sells out or changes
 * price can show its old state here for at most the TTL (the cart then refuses or re-prices,
 * as it does for a product list cached by a CDN for 30 s). Unsellable answers are kept too.
 */
export const shelfCache = new TtlCache<ShelfProduct | null>(5_000, 50_000);

const scopeKey = (query: ShelfQuery) =>
  `${query.channelId}|${query.currency}|${[...query.customerGroupIds].sort().join(',')}|${[...query.segmentIds].sort().join(',')}|`;

/**
 * The candidates a shopper can actually buy here and now: published, in the channel's
 * assortment, priced in the currency (group and segment prices included) and with at least
 * one variant in stock in the channel. One set-based read for the candidates not cached.
 */
export async function onTheShelf(
  db: Executor,
  productIds: readonly string[],
  query: ShelfQuery,
): Promise<Map<string, ShelfProduct>> {
  const shelf = new Map<string, ShelfProduct>();
  const scope = scopeKey(query);
  const missing: string[] = [];
  for (const productId of new Set(productIds)) {
    const cached = shelfCache.get(scope + productId);
    if (cached === undefined) missing.push(productId);
    else if (cached !== null) shelf.set(productId, cached);
  }
  if (missing.length === 0) return shelf;
  const found = await getShelfProducts(db, { ...query, productIds: missing });
  for (const productId of missing) {
    const product = found.get(productId) ?? null;
    shelfCache.set(scope + productId, product);
    if (product) shelf.set(productId, product);
  }
  return shelf;
}

/** Each product's lowest price for this shopper in the channel, stock aside (for price bands). */
export async function fromPrices(
  db: Executor,
  productIds: readonly string[],
  query: ShelfQuery,
): Promise<Map<string, number>> {
  const prices = new Map<string, number>();
  const variantIds = [...(await variantIdsOfProducts(db, productIds)).values()].flat();
  if (variantIds.length === 0) return prices;
  for (const variant of (await getSellableVariants(db, { ...query, variantIds })).values()) {
    if (variant.unitPrice === null) continue;
    const known = prices.get(variant.productId);
    if (known === undefined || variant.unitPrice < known) prices.set(variant.productId, variant.unitPrice);
  }
  return prices;
}
