import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { inTransaction } from '../../db/transaction.js';
import { session, signedInCustomer } from '../cart/test-support.js';
import { emitEvent } from '../events/outbox.js';
import {
  countPlacedOrder,
  countPlacedOrders,
  retractCancelledOrder,
  retractCancelledOrders,
} from './purchases.js';
import { rebuildRecommendations } from './rebuild.js';
import { placedOrder, recsCounts, type ShelfProduct, shelfProduct } from './test-support.js';

let server: TestServer;
let shop: { id: string; key: string };
let outlet: { id: string; key: string };
let products: ShelfProduct[];
/** In placing order; the last one holds every product (see `snapshot`). */
let orders: string[];
let cancelled: string;

beforeAll(async () => {
  server = await startTestServer();
  shop = await server.newChannel();
  outlet = await server.newChannel();
  products = [];
  for (let i = 0; i < 5; i++) products.push(await shelfProduct(server, [shop.id, outlet.id]));
  const [p1, p2, p3, p4, p5] = products;
  const consenting = await signedInCustomer(server, shop.key);
  const patched = await server.store(
    shop.key,
    'PATCH',
    '/store/v1/customers/me',
    { consent_personalisation: true },
    session(consenting.token),
  );
  expect(patched.statusCode, patched.body).toBe(200);
  const declining = await signedInCustomer(server, shop.key);
  const day = 24 * 3600 * 1000;
  const order = (
    channelId: string,
    basket: ShelfProduct[],
    daysAgo: number,
    customerId: string | null = null,
  ) =>
    placedOrder(server, {
      channelId,
      products: basket,
      customerId,
      placedAt: new Date(Date.now() - daysAgo * day),
      count: false,
    });
  orders = [
    await order(shop.id, [p1, p2], 9, consenting.id),
    // Two lines of one product: one item in the basket, quantity 2 in the buyer's history.
    await order(shop.id, [p1, p3, p3], 5, consenting.id),
    await order(outlet.id, [p2, p3, p4], 3, declining.id),
    await order(outlet.id, [p4], 2),
    await order(shop.id, [], 1, consenting.id),
    await order(shop.id, [p1, p2, p3, p4, p5], 0, consenting.id),
  ];
  cancelled = await order(shop.id, [p1, p5], 4, consenting.id);
  await server.db.updateTable('orders').set({ cancelled: true }).where('id', '=', cancelled).execute();
});
afterAll(() => server.close());

/**
 * Everything counting writes. Neighbour lists are compared as well: counted one by one, a
 * product's list is recomputed when an order holding it is counted; the last order holds every
 * product, so both ways end with each list computed from the final counts.
 */
async function snapshot() {
  const db = server.db;
  return {
    counted: (
      await db.selectFrom('recs_counted_orders').select('order_id').orderBy('order_id').execute()
    ).map((row) => row.order_id),
    ...(await recsCounts(db)),
    // Log-sum-exp folded in another order differs in the last bits only.
    trending: (
      await db.selectFrom('recs_trending').selectAll().orderBy('channel_id').orderBy('product_id').execute()
    ).map((row) => ({ ...row, rank_key: row.rank_key.toFixed(9) })),
    neighbours: await db
      .selectFrom('recs_neighbours')
      .selectAll()
      .orderBy('intent')
      .orderBy('product_id')
      .orderBy('rank')
      .execute(),
    history: await db
      .selectFrom('interactions')
      .select(['channel_id', 'customer_id', 'product_id', 'quantity', 'order_id', 'occurred_at'])
      .where('kind', '=', 'purchase')
      .orderBy('order_id')
      .orderBy('product_id')
      .execute(),
  };
}

async function forgetCounts() {
  for (const table of [
    'recs_counted_orders',
    'recs_totals',
    'recs_item_counts',
    'recs_pair_counts',
    'recs_trending',
    'recs_neighbours',
  ])
    await sql`DELETE FROM ${sql.table(table)}`.execute(server.db);
  await server.db.deleteFrom('interactions').where('kind', '=', 'purchase').execute();
}

async function countOneByOne() {
  await forgetCounts();
  for (const id of [...orders, cancelled]) await countPlacedOrder(server.db, id);
  return snapshot();
}

describe('countPlacedOrders', () => {
  it('counts a batch of orders exactly as counting them one at a time does', async () => {
    const oneByOne = await countOneByOne();
    expect(oneByOne.totals).toEqual([{ signal: 'purchase', baskets: 5 }]);
    // Only the consenting customer's orders enter a history, each product once per order.
    const [p1, p2, p3, p4, p5] = products.map((product) => product.productId);
    const line = (order: number, productId: string, quantity = 1) => ({
      order_id: orders[order],
      product_id: productId,
      quantity,
    });
    expect(
      oneByOne.history.map(({ order_id, product_id, quantity }) => ({ order_id, product_id, quantity })),
    ).toEqual(
      [
        ...[p1, p2].map((id) => line(0, id)),
        line(1, p1),
        line(1, p3, 2),
        ...[p1, p2, p3, p4, p5].map((id) => line(5, id)),
      ].sort((x, y) =>
        x.order_id === y.order_id ? (x.product_id < y.product_id ? -1 : 1) : x.order_id < y.order_id ? -1 : 1,
      ),
    );

    await forgetCounts();
    const counted = await countPlacedOrders(server.db, [...orders, cancelled].reverse());
    expect(counted).toEqual([...orders].sort());
    const batched = await snapshot();
    expect(batched).toEqual(oneByOne);

    // And both agree with the full recount from the orders.
    const report = await rebuildRecommendations(server.db);
    expect(report.orders).toBe(orders.length);
    const rebuilt = await snapshot();
    expect({ totals: rebuilt.totals, items: rebuilt.items, pairs: rebuilt.pairs }).toEqual({
      totals: batched.totals,
      items: batched.items,
      pairs: batched.pairs,
    });
  });

  it('counts nothing twice when a batch is delivered again after some of its orders were counted', async () => {
    const oneByOne = await countOneByOne();
    await forgetCounts();
    expect(await countPlacedOrders(server.db, orders.slice(0, 3))).toHaveLength(3);
    const rest = await countPlacedOrders(server.db, [...orders, cancelled]);
    expect(rest).toEqual(orders.slice(3).sort());
    expect(await snapshot()).toEqual(oneByOne);

    expect(await countPlacedOrders(server.db, [...orders, cancelled])).toEqual([]);
    expect(await snapshot()).toEqual(oneByOne);
  });
});

describe('retractCancelledOrders', () => {
  it('retracts a batch exactly as retracting one order at a time does, and only once', async () => {
    // Retracted last, the order holding every product refreshes every list (see `snapshot`).
    const retracted = [orders[0], orders[2], orders[5]];
    await countOneByOne();
    for (const id of retracted) await retractCancelledOrder(server.db, id);
    const oneByOne = await snapshot();
    expect(oneByOne.totals).toEqual([{ signal: 'purchase', baskets: 2 }]);

    await forgetCounts();
    await countPlacedOrders(server.db, orders);
    expect(await retractCancelledOrders(server.db, [...retracted, cancelled])).toEqual([...retracted].sort());
    expect(await snapshot()).toEqual(oneByOne);
    expect(await retractCancelledOrders(server.db, retracted)).toEqual([]);
    expect(await snapshot()).toEqual(oneByOne);
  });
});

describe('the order.placed subscriber', () => {
  it('counts the orders placed together in one transaction, each delivered once', async () => {
    const [p1, p2, p3] = products;
    const placed: string[] = [];
    for (const basket of [
      [p1, p2],
      [p2, p3],
      [p1, p3],
    ])
      placed.push(await placedOrder(server, { channelId: shop.id, products: basket, count: false }));
    await inTransaction(server.db, async (tx) => {
      for (const id of placed)
        await emitEvent(tx, { type: 'order.placed', resourceType: 'order', resourceId: id, data: { id } });
    });
    const countedAt = () =>
      server.db
        .selectFrom('recs_counted_orders')
        .select('counted_at')
        .where('order_id', 'in', placed)
        .execute();
    await expect.poll(async () => (await countedAt()).length, { timeout: 10_000, interval: 100 }).toBe(3);
    // counted_at is the transaction's start: one value means one transaction.
    expect(new Set((await countedAt()).map((row) => row.counted_at.getTime())).size).toBe(1);
    const deliveries = await server.db
      .selectFrom('event_deliveries')
      .select(['status', 'attempts'])
      .where('consumer', '=', 'subscriber:personalisation-purchases')
      .where('event_type', '=', 'order.placed')
      .execute();
    expect(deliveries).toEqual(placed.map(() => ({ status: 'succeeded', attempts: 1 })));
  });
});
