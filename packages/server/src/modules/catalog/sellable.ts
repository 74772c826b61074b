import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { anyOfTexts } from '../../db/plan-stable.js';
import { selectPrice } from '../pricing/select.js';
import { toCandidate } from '../pricing/service.js';
import type { PriceRow } from '../pricing/tables.js';

export interface SellableVariant {
  variantId: string;
  productId: string;
  productHandle: string;
  productTitle: string;
  variantTitle: string;
  sku: string;
  optionValues: Record<string, string>;
  weightGrams: number | null;
  /** Unit price in minor units of the requested currency; null when the variant has no price. */
  unitPrice: number | null;
  categoryIds: string[];
  collectionIds: string[];
  imageUrl: string | null;
}

export interface SellableQuery {
  channelId: string;
  currency: string;
  variantIds: readonly string[];
  customerGroupIds?: readonly string[];
  segmentIds?: readonly string[];
  /** Quantity for tier prices (default 1). */
  quantity?: number;
  now?: Date;
}

interface SellableRow {
  variant_id: string;
  product_id: string;
  handle: string;
  product_title: string;
  variant_title: string;
  sku: string;
  option_values: Record<string, string>;
  weight_grams: number | null;
  category_ids: string[];
  collection_ids: string[];
  image_url: string | null;
  prices: Array<
    Omit<PriceRow, 'starts_at' | 'ends_at' | 'created_at' | 'updated_at'> & {
      starts_at: string | null;
      ends_at: string | null;
    }
  >;
}

/**
 * What a channel can sell: for each requested variant of a published product in the
 * channel's assortment, its product facts and its unit price for this shopper (selected by
 * `selectPrice`). Other variants are simply absent. Carts, checkout, search and
 * recommendations call this instead of reading catalog tables. One SQL round trip.
 */
export async function getSellableVariants(
  db: Executor,
  query: SellableQuery,
): Promise<Map<string, SellableVariant>> {
  const result = new Map<string, SellableVariant>();
  if (query.variantIds.length === 0) return result;
  const rows = await sql<SellableRow>`
    SELECT v.id AS variant_id, p.id AS product_id, p.handle, p.title AS product_title, v.title AS variant_title,
      v.sku, v.option_values, v.weight_grams, p.media->0->>'url' AS image_url,
      ARRAY(SELECT category_id FROM product_categories WHERE product_id = p.id ORDER BY category_id) AS category_ids,
      ARRAY(SELECT collection_id FROM product_collections WHERE product_id = p.id ORDER BY collection_id) AS collection_ids,
      (SELECT COALESCE(json_agg(pr), '[]') FROM prices pr WHERE pr.variant_id = v.id AND pr.currency = ${query.currency}
        AND (pr.channel_id IS NULL OR pr.channel_id = ${query.channelId})) AS prices
    FROM variants v
    JOIN products p ON p.id = v.product_id AND p.status = 'published'
    JOIN product_channels pc ON pc.product_id = p.id AND pc.channel_id = ${query.channelId}
    WHERE v.id = ${anyOfTexts(query.variantIds)}`.execute(db);
  const context = {
    currency: query.currency,
    channelId: query.channelId,
    customerGroupIds: query.customerGroupIds,
    segmentIds: query.segmentIds,
    quantity: query.quantity,
    now: query.now ?? new Date(),
  };
  for (const row of rows.rows) {
    const candidates = row.prices.map((price) =>
      toCandidate({
        ...price,
        starts_at: price.starts_at ? new Date(price.starts_at) : null,
        ends_at: price.ends_at ? new Date(price.ends_at) : null,
      } as PriceRow),
    );
    result.set(row.variant_id, {
      variantId: row.variant_id,
      productId: row.product_id,
      productHandle: row.handle,
      productTitle: row.product_title,
      variantTitle: row.variant_title,
      sku: row.sku,
      optionValues: row.option_values,
      weightGrams: row.weight_grams,
      unitPrice: selectPrice(candidates, context)?.amount ?? null,
      categoryIds: row.category_ids,
      collectionIds: row.collection_ids,
      imageUrl: row.image_url,
    });
  }
  return result;
}
