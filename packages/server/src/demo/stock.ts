import { createHash } from 'node:crypto';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import { listProducts } from '../modules/catalog/products.js';
import { createLocation, listLocations } from '../modules/inventory/locations.js';
import { setStockLevel } from '../modules/inventory/stock.js';

const WAREHOUSE = 'Demo warehouse';
/** Levels written per transaction: large enough to amortise the commit, small enough to keep locks short. */
const STOCK_BATCH = 500;

/**
 * Deterministic quantity from the SKU: most variants hold 5–60 units, about one in twelve
 * is sold out and a few run low, so availability badges have something to show.
 */
export function demoQuantity(sku: string): number {
  const roll = createHash('sha256').update(sku).digest().readUInt32BE(0) % 1000;
  if (roll < 80) return 0;
  if (roll < 140) return 1 + (roll % 3);
  return 5 + (roll % 56);
}

/**
 * One warehouse serving every channel and a stock level for each variant whose SKU is in
 * `skus`, set through the inventory module (so movements are recorded). Runs once: when
 * the warehouse exists, a previous seed stocked it and stock may have moved since.
 * Call it while the catalog is small: it pages through the products to find the variants.
 * Returns how many levels it set.
 */
export async function seedDemoStock(
  db: Db,
  channelIds: string[],
  skus: ReadonlySet<string>,
): Promise<number> {
  const locations = await listLocations(db, { limit: 100, after: null });
  if (locations.some((location) => location.name === WAREHOUSE)) return 0;
  const warehouse = await createLocation(db, { name: WAREHOUSE, channel_ids: channelIds });

  const variants: Array<{ id: string; sku: string }> = [];
  let cursor: string | undefined;
  do {
    const page = await listProducts(db, { limit: 100, cursor });
    for (const product of page.data)
      for (const variant of product.variants) if (skus.has(variant.sku)) variants.push(variant);
    cursor = page.next_cursor ?? undefined;
  } while (cursor && variants.length < skus.size);

  let written = 0;
  for (let start = 0; start < variants.length; start += STOCK_BATCH) {
    const batch = variants.slice(start, start + STOCK_BATCH);
    await inTransaction(db, async (tx) => {
      for (const variant of batch) {
        await setStockLevel(tx, {
          variantId: variant.id,
          locationId: warehouse.id,
          onHand: demoQuantity(variant.sku),
          reason: 'received',
          note: 'demo seed',
        });
      }
    });
    written += batch.length;
  }
  return written;
}
