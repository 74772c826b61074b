import type { Executor } from '../../db/database.js';
import { getSellableVariants } from '../catalog/index.js';
import { getAvailability } from '../inventory/availability.js';
import { variantIdsOfProducts } from './catalog-facts.js';

export interface ShelfProduct {
  productId: string;
  handle: string;
  title: string;
  imageUrl: string | null;
  /** Lowest price among the product's sellable, in-stock variants, for this shopper. */
  fromPrice: number;
}

export interface ShelfQuery {
  channelId: string;
  currency: string;
  customerGroupIds: readonly string[];
  segmentIds: readonly string[];
}

/**
 * The candidates a shopper can actually buy here and now: published, in the channel's
 * assortment, priced in the currency (group and segment prices included) and with at least
 * one variant in stock in the channel. Three indexed reads whatever the candidate count.
 */
export async function onTheShelf(
  db: Executor,
  productIds: readonly string[],
  query: ShelfQuery,
): Promise<Map<string, ShelfProduct>> {
  const shelf = new Map<string, ShelfProduct>();
  const variantsByProduct = await variantIdsOfProducts(db, productIds);
  const variantIds = [...variantsByProduct.values()].flat();
  if (variantIds.length === 0) return shelf;
  const [sellable, stock] = await Promise.all([
    getSellableVariants(db, { ...query, variantIds }),
    getAvailability(db, { channelId: query.channelId, variantIds }),
  ]);
  for (const variantId of variantIds) {
    const variant = sellable.get(variantId);
    if (!variant || variant.unitPrice === null || !stock.get(variantId)?.inStock) continue;
    const known = shelf.get(variant.productId);
    if (known && known.fromPrice <= variant.unitPrice) continue;
    shelf.set(variant.productId, {
      productId: variant.productId,
      handle: variant.productHandle,
      title: variant.productTitle,
      imageUrl: variant.imageUrl,
      fromPrice: variant.unitPrice,
    });
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
