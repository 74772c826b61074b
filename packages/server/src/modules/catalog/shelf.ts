import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { selectedPriceSubquery } from '../pricing/sql.js';

export interface ShelfProduct {
  productId: string;
  handle: string;
  title: string;
  imageUrl: string | null;
  /** Lowest price, for this shopper, among the product's variants that are in stock in the channel. */
  fromPrice: number;
}

export interface ShelfQuery {
  channelId: string;
  currency: string;
  productIds: readonly string[];
  customerGroupIds?: readonly string[];
  segmentIds?: readonly string[];
  now?: Date;
}

/**
 * Which products a shopper can buy here and now, decided per product in one SQL round trip:
 * published, in the channel's assortment, and with at least one variant that has a price for
 * this shopper in the currency (`selectPrice`'s rule, group and segment prices included) and
 * can sell one more unit in the channel (`getAvailability`'s `inStock`: untracked, backorderable,
 * or units beyond the unlapsed holds in a location serving the channel). Other products are absent.
 * For lists that only need "can it be bought" per product (recommendations), where reading
 * `getSellableVariants` and `getAvailability` for every variant would cost two reads per variant.
 */
export async function getShelfProducts(db: Executor, query: ShelfQuery): Promise<Map<string, ShelfProduct>> {
  const result = new Map<string, ShelfProduct>();
  if (query.productIds.length === 0) return result;
  const scope = {
    channelId: query.channelId,
    currency: query.currency,
    customerGroupIds: query.customerGroupIds,
    segmentIds: query.segmentIds,
    now: query.now ?? new Date(),
  };
  const rows = await sql<{
    product_id: string;
    handle: string;
    title: string;
    image_url: string | null;
    from_price: number;
  }>`
    SELECT p.id AS product_id, p.handle, p.title, p.media->0->>'url' AS image_url, min(sp.amount) AS from_price
    FROM products p
    JOIN product_channels pc ON pc.product_id = p.id AND pc.channel_id = ${query.channelId}
    JOIN variants v ON v.product_id = p.id
    CROSS JOIN LATERAL (${selectedPriceSubquery(sql.ref('v.id'), scope)}) sp
    WHERE p.id = ANY(${[...new Set(query.productIds)]}::text[]) AND p.status = 'published'
      AND (
        NOT EXISTS (SELECT 1 FROM inventory_levels l WHERE l.variant_id = v.id)
        OR EXISTS (SELECT 1 FROM inventory_items i WHERE i.variant_id = v.id AND i.allow_backorder)
        OR EXISTS (
          SELECT 1 FROM inventory_levels l
          JOIN stock_location_channels slc ON slc.location_id = l.location_id AND slc.channel_id = ${query.channelId}
          WHERE l.variant_id = v.id
            AND l.on_hand > l.reserved - coalesce((
              SELECT sum(r.quantity) FROM inventory_reservations r
              WHERE r.variant_id = l.variant_id AND r.location_id = l.location_id
                AND r.status = 'active' AND r.expires_at <= now()), 0))
      )
    GROUP BY p.id`.execute(db);
  for (const row of rows.rows)
    result.set(row.product_id, {
      productId: row.product_id,
      handle: row.handle,
      title: row.title,
      imageUrl: row.image_url,
      fromPrice: Number(row.from_price),
    });
  return result;
}
