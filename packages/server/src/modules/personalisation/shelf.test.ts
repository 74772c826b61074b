import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, unique } from '../../../test/harness.js';
import { newId } from '../../lib/ids.js';
import { getSellableVariants, getShelfProducts } from '../catalog/index.js';
import { getAvailability } from '../inventory/availability.js';
import { onTheShelf, shelfCache } from './sellable.js';

let server: TestServer;
let shop: { id: string; key: string };
let group: string;
const products: Record<string, string> = {};

interface VariantSpec {
  prices: Array<{ currency: string; amount: number; customer_group_id?: string }>;
  /** Units in a location serving the shop; undefined = untracked. */
  stock?: number;
  /** Units in a location that does not serve the shop. */
  stockElsewhere?: number;
  backorder?: boolean;
  /** Units held by a cart whose hold has lapsed (the sweeper has not released it yet). */
  lapsedHold?: number;
}

async function product(
  name: string,
  variants: VariantSpec[],
  options: { status?: string; channels?: string[] } = {},
): Promise<void> {
  const created = await server.admin('POST', '/admin/v1/products', {
    handle: unique('p'),
    title: name,
    status: options.status ?? 'published',
    channel_ids: options.channels ?? [shop.id],
    variants: variants.map((v) => ({ sku: unique('SKU').toUpperCase(), prices: v.prices })),
  });
  expect(created.statusCode, created.body).toBe(201);
  const body = created.json();
  products[name] = body.id;
  for (const [i, spec] of variants.entries()) {
    const variantId = body.variants[i].id;
    for (const [units, channels] of [
      [spec.stock, [shop.id]],
      [spec.stockElsewhere, []],
    ] as const) {
      if (units === undefined) continue;
      const location = await server.admin('POST', '/admin/v1/stock-locations', {
        name: unique('warehouse'),
        channel_ids: channels,
      });
      const level = await server.admin(
        'PUT',
        `/admin/v1/inventory/variants/${variantId}/levels/${location.json().id}`,
        { on_hand: units, reason: 'received' },
      );
      expect(level.statusCode, level.body).toBe(200);
      if (spec.lapsedHold && channels.length > 0) {
        await sql`UPDATE inventory_levels SET reserved = reserved + ${spec.lapsedHold}
          WHERE variant_id = ${variantId} AND location_id = ${location.json().id}`.execute(server.db);
        await sql`INSERT INTO inventory_reservations (id, variant_id, location_id, quantity, cart_id, status, expires_at)
          VALUES (${newId('res')}, ${variantId}, ${location.json().id}, ${spec.lapsedHold}, ${newId('cart')}, 'active',
            now() - interval '1 minute')`.execute(server.db);
      }
    }
    if (spec.backorder) {
      const set = await server.admin('PATCH', `/admin/v1/inventory/variants/${variantId}`, {
        allow_backorder: true,
      });
      expect(set.statusCode, set.body).toBe(200);
    }
  }
}

const eur = (amount: number) => ({ currency: 'EUR', amount });

beforeAll(async () => {
  server = await startTestServer();
  shop = await server.newChannel();
  const other = await server.newChannel();
  const created = await server.admin('POST', '/admin/v1/customer-groups', { name: unique('Trade') });
  expect(created.statusCode, created.body).toBe(201);
  group = created.json().id;
  await product('untracked', [{ prices: [eur(1000)] }]);
  await product('draft', [{ prices: [eur(1000)] }], { status: 'draft' });
  await product('other channel', [{ prices: [eur(1000)] }], { channels: [other.id] });
  await product('dollars only', [{ prices: [{ currency: 'USD', amount: 1000 }] }]);
  await product('cheap one sold out', [
    { prices: [eur(500)], stock: 0 },
    { prices: [eur(800)], stock: 2 },
  ]);
  await product('sold out', [{ prices: [eur(700)], stock: 0 }]);
  await product('backorder', [{ prices: [eur(600)], stock: 0, backorder: true }]);
  await product('stock elsewhere', [{ prices: [eur(900)], stockElsewhere: 5 }]);
  await product('lapsed hold', [{ prices: [eur(400)], stock: 1, lapsedHold: 1 }]);
  await product('trade price', [
    { prices: [eur(2000), { currency: 'EUR', amount: 1500, customer_group_id: group }] },
  ]);
  await product('no price', [{ prices: [] }]);
});
afterAll(() => server.close());

/** The per-variant reads the shelf query replaces: sellable, priced and in stock, lowest price. */
async function perVariant(productIds: string[], groupIds: string[]) {
  const variants = await server.db
    .selectFrom('variants')
    .select(['id', 'product_id'])
    .where('product_id', 'in', productIds)
    .execute();
  const variantIds = variants.map((v) => v.id);
  const [sellable, stock] = await Promise.all([
    getSellableVariants(server.db, {
      channelId: shop.id,
      currency: 'EUR',
      variantIds,
      customerGroupIds: groupIds,
    }),
    getAvailability(server.db, { channelId: shop.id, variantIds }),
  ]);
  const prices = new Map<string, number>();
  for (const id of variantIds) {
    const variant = sellable.get(id);
    if (!variant || variant.unitPrice === null || !stock.get(id)?.inStock) continue;
    prices.set(variant.productId, Math.min(prices.get(variant.productId) ?? Infinity, variant.unitPrice));
  }
  return prices;
}

describe('getShelfProducts', () => {
  it('keeps what the channel sells, priced and in stock, at the lowest in-stock price', async () => {
    const shelf = await getShelfProducts(server.db, {
      channelId: shop.id,
      currency: 'EUR',
      productIds: Object.values(products),
    });
    const priced = Object.fromEntries(
      Object.entries(products).flatMap(([name, id]) => {
        const found = shelf.get(id);
        return found ? [[name, found.fromPrice]] : [];
      }),
    );
    expect(priced).toEqual({
      untracked: 1000,
      'cheap one sold out': 800,
      backorder: 600,
      'lapsed hold': 400,
      'trade price': 2000,
    });
    expect(shelf.get(products.untracked)).toMatchObject({ title: 'untracked', imageUrl: null });
  });

  it('applies the shopper’s group prices', async () => {
    const shelf = await getShelfProducts(server.db, {
      channelId: shop.id,
      currency: 'EUR',
      productIds: [products['trade price']],
      customerGroupIds: [group],
    });
    expect(shelf.get(products['trade price'])?.fromPrice).toBe(1500);
  });

  it('agrees with the per-variant sellable and availability reads', async () => {
    for (const groupIds of [[], [group]]) {
      const shelf = await getShelfProducts(server.db, {
        channelId: shop.id,
        currency: 'EUR',
        productIds: Object.values(products),
        customerGroupIds: groupIds,
      });
      const expected = await perVariant(Object.values(products), groupIds);
      expect(new Map([...shelf].map(([id, p]) => [id, p.fromPrice]))).toEqual(expected);
    }
  });
});

describe('onTheShelf', () => {
  it('remembers answers, sellable or not, per pricing scope for a few seconds', async () => {
    shelfCache.clear();
    const scope = { channelId: shop.id, currency: 'EUR', customerGroupIds: [], segmentIds: [] };
    const ids = [products.untracked, products['sold out']];
    expect([...(await onTheShelf(server.db, ids, scope)).keys()]).toEqual([products.untracked]);
    // Unpublishing is not seen until the entry expires: the TTL is the staleness bound.
    await sql`UPDATE products SET status = 'draft' WHERE id = ${products.untracked}`.execute(server.db);
    expect([...(await onTheShelf(server.db, ids, scope)).keys()]).toEqual([products.untracked]);
    // Another scope (a group member) is checked on its own.
    expect((await onTheShelf(server.db, ids, { ...scope, customerGroupIds: [group] })).size).toBe(0);
    shelfCache.clear();
    expect((await onTheShelf(server.db, ids, scope)).size).toBe(0);
    await sql`UPDATE products SET status = 'published' WHERE id = ${products.untracked}`.execute(server.db);
  });
});
