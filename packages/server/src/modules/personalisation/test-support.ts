import { sql } from 'kysely';
import { expect } from 'vitest';
import { type TestServer, unique } from '../../../test/harness.js';
import type { Executor } from '../../db/database.js';
import { newId } from '../../lib/ids.js';
import { countPlacedOrder } from './purchases.js';

export interface ShelfProduct {
  productId: string;
  variantId: string;
}

/** A published product in `channelIds` with one variant, priced in EUR, optionally stocked. */
export async function shelfProduct(
  server: TestServer,
  channelIds: string[],
  options: {
    title?: string;
    price?: number;
    /** Units on hand in a location serving the channels; undefined = untracked (always in stock). */
    stock?: number;
    categoryIds?: string[];
    attributes?: Record<string, string>;
  } = {},
): Promise<ShelfProduct> {
  const created = await server.admin('POST', '/admin/v1/products', {
    handle: unique('p'),
    title: options.title ?? unique('Product'),
    status: 'published',
    channel_ids: channelIds,
    category_ids: options.categoryIds ?? [],
    attributes: options.attributes ?? {},
    variants: [
      { sku: unique('SKU').toUpperCase(), prices: [{ currency: 'EUR', amount: options.price ?? 1000 }] },
    ],
  });
  expect(created.statusCode, created.body).toBe(201);
  const product = created.json();
  const variantId = product.variants[0].id;
  if (options.stock !== undefined) {
    const location = await server.admin('POST', '/admin/v1/stock-locations', {
      name: unique('warehouse'),
      channel_ids: channelIds,
    });
    const set = await server.admin(
      'PUT',
      `/admin/v1/inventory/variants/${variantId}/levels/${location.json().id}`,
      { on_hand: options.stock, reason: 'received' },
    );
    expect(set.statusCode, set.body).toBe(200);
  }
  return { productId: product.id, variantId };
}

export async function newCategory(server: TestServer, parentId?: string): Promise<string> {
  const created = await server.admin('POST', '/admin/v1/categories', {
    handle: unique('cat'),
    name: unique('Category'),
    ...(parentId ? { parent_id: parentId } : {}),
  });
  expect(created.statusCode, created.body).toBe(201);
  return created.json().id;
}

/**
 * A placed order written straight into the orders tables (a synthetic purchase history
 * without running checkout), then counted by the same function the `order.placed` subscriber calls.
 */
export async function placedOrder(
  server: TestServer,
  input: {
    channelId: string;
    products: ShelfProduct[];
    customerId?: string | null;
    placedAt?: Date;
    total?: number;
    count?: boolean;
  },
): Promise<string> {
  const id = newId('order');
  const total = input.total ?? 1000 * input.products.length;
  await sql`INSERT INTO orders (id, cart_id, channel_id, customer_id, email, status, currency, subtotal,
      discount_total, shipping_total, tax_total, total, authorised_amount, captured_amount, access_token_hash, placed_at)
    VALUES (${id}, ${newId('cart')}, ${input.channelId}, ${input.customerId ?? null}, 'x@example.com', 'paid', 'EUR',
      ${total}, 0, 0, 0, ${total}, ${total}, ${total}, 'hash', ${input.placedAt ?? new Date()})`.execute(
    server.db,
  );
  for (const [position, product] of input.products.entries())
    await sql`INSERT INTO order_lines (id, order_id, position, variant_id, product_id, sku, product_title, variant_title,
        unit_price, quantity, subtotal, discount, tax, tax_rate_bps, total)
      VALUES (${newId('oline')}, ${id}, ${position}, ${product.variantId}, ${product.productId}, 'SKU', 'T', 'V',
        1000, 1, 1000, 0, 0, 0, 1000)`.execute(server.db);
  if (input.count !== false) await countPlacedOrder(server.db, id);
  return id;
}

export const visitorId = () => `v_${unique('visitor').replace(/[^A-Za-z0-9_-]/g, '')}${Date.now()}`;

/** The persisted co-occurrence counts in a stable order, to compare two ways of counting. */
export async function recsCounts(db: Executor) {
  return {
    totals: await db.selectFrom('recs_totals').selectAll().orderBy('signal').execute(),
    items: await db
      .selectFrom('recs_item_counts')
      .selectAll()
      .orderBy('signal')
      .orderBy('product_id')
      .execute(),
    pairs: await db
      .selectFrom('recs_pair_counts')
      .selectAll()
      .orderBy('signal')
      .orderBy('product_a')
      .orderBy('product_b')
      .execute(),
  };
}
