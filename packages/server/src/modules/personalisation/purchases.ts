import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { literal } from '../../db/plan-stable.js';
import { inTransaction } from '../../db/transaction.js';
import { onEvents } from '../events/subscribers.js';
import { sumDeltas } from './algorithms/cooccurrence.js';
import { basketDelta } from './algorithms/index.js';
import { addCounts, addTrendingSignals, type TrendingSignal } from './counts.js';
import { refreshNeighbourLists } from './neighbours.js';
import { INTERACTION_WEIGHTS } from './settings.js';

/** The distinct products of each order's lines (an order without lines is an empty basket). */
async function basketsOf(tx: Executor, orderIds: readonly string[]): Promise<Map<string, string[]>> {
  const lines = await tx
    .selectFrom('order_lines')
    .select(['order_id', 'product_id'])
    .where('order_id', 'in', orderIds)
    .execute();
  const baskets = new Map(orderIds.map((id) => [id, new Set<string>()]));
  for (const line of lines) baskets.get(line.order_id)!.add(line.product_id);
  return new Map([...baskets].map(([id, products]) => [id, [...products]]));
}

const productsIn = (baskets: Map<string, string[]>) => [...new Set([...baskets.values()].flat())];

/**
 * Placed orders, each counted once however often it is delivered (a retried batch skips what
 * an earlier try counted): co-purchase counts and the channel's trending for every order, as
 * anonymous aggregates; a `purchase` interaction in the shopper's history only when the
 * customer consents to personalisation. One transaction for the lot, set-based, so a batch of
 * orders touches the hot `recs_totals` row once. Returns the orders counted by this call.
 */
export async function countPlacedOrders(db: Executor, orderIds: readonly string[]): Promise<string[]> {
  const ids = [...new Set(orderIds)].sort();
  if (ids.length === 0) return [];
  return inTransaction(db, async (tx) => {
    // Claimed in id order, so two batches sharing orders wait for each other instead of deadlocking.
    const claimed = await sql<{ id: string; channel_id: string; placed_at: Date }>`WITH claimed AS (
        INSERT INTO recs_counted_orders (order_id)
        SELECT id FROM orders
        WHERE id = ANY(${ids}::text[]) AND placed_at IS NOT NULL AND NOT cancelled
        ORDER BY id
        ON CONFLICT (order_id) DO NOTHING
        RETURNING order_id
      )
      SELECT o.id, o.channel_id, o.placed_at FROM claimed c JOIN orders o ON o.id = c.order_id
      ORDER BY o.id`.execute(tx);
    const orders = claimed.rows;
    if (orders.length === 0) return [];
    const claimedIds = orders.map((order) => order.id);
    const baskets = await basketsOf(tx, claimedIds);
    await addCounts(tx, 'purchase', sumDeltas(claimedIds.map((id) => basketDelta(baskets.get(id)!))));
    const trending = new Map<string, TrendingSignal[]>();
    for (const order of orders) {
      const signals = trending.get(order.channel_id) ?? [];
      trending.set(order.channel_id, signals);
      for (const productId of baskets.get(order.id)!)
        signals.push({ productId, at: order.placed_at.getTime(), weight: INTERACTION_WEIGHTS.purchase! });
    }
    for (const [channelId, signals] of [...trending].sort(([a], [b]) => (a < b ? -1 : 1)))
      await addTrendingSignals(tx, channelId, signals);
    // The consent is read as the orders are counted: a customer who has not consented (or no
    // longer exists) leaves no history, only the anonymous counts above.
    await sql`INSERT INTO interactions (channel_id, customer_id, kind, product_id, quantity, order_id, occurred_at)
      SELECT o.channel_id, o.customer_id, 'purchase', l.product_id, sum(l.quantity), o.id, o.placed_at
      FROM orders o
      JOIN customers c ON c.id = o.customer_id AND c.consent_personalisation
      JOIN order_lines l ON l.order_id = o.id
      WHERE o.id = ANY(${claimedIds}::text[]) AND EXISTS (SELECT 1 FROM products p WHERE p.id = l.product_id)
      GROUP BY o.id, l.product_id
      ORDER BY o.id, l.product_id
      ON CONFLICT (order_id, product_id) WHERE kind = 'purchase'
      DO UPDATE SET quantity = interactions.quantity + excluded.quantity`.execute(tx);
    await refreshNeighbourLists(tx, productsIn(baskets), { boughtTogether: true });
    return claimedIds;
  });
}

/** Cancelled orders no longer say "bought together": each basket is retracted exactly once. */
export async function retractCancelledOrders(db: Executor, orderIds: readonly string[]): Promise<string[]> {
  const ids = [...new Set(orderIds)].sort();
  if (ids.length === 0) return [];
  return inTransaction(db, async (tx) => {
    const retracted = await tx
      .updateTable('recs_counted_orders')
      .set({ retracted_at: new Date() })
      .where('order_id', 'in', ids)
      .where('retracted_at', 'is', null)
      .returning('order_id')
      .execute();
    const retractedIds = retracted.map((row) => row.order_id).sort();
    if (retractedIds.length === 0) return [];
    const baskets = await basketsOf(tx, retractedIds);
    await addCounts(tx, 'purchase', sumDeltas(retractedIds.map((id) => basketDelta(baskets.get(id)!, -1))));
    await tx
      .deleteFrom('interactions')
      .where('order_id', 'in', retractedIds)
      .where('kind', '=', literal('purchase'))
      .execute();
    await refreshNeighbourLists(tx, productsIn(baskets), { boughtTogether: true });
    return retractedIds;
  });
}

export const countPlacedOrder = async (db: Executor, orderId: string): Promise<boolean> =>
  (await countPlacedOrders(db, [orderId])).length > 0;

export const retractCancelledOrder = async (db: Executor, orderId: string): Promise<boolean> =>
  (await retractCancelledOrders(db, [orderId])).length > 0;

let subscribed = false;

/**
 * Registers the order subscribers once per process. They run from the durable event queue in
 * batches: the orders placed (or cancelled) since the last run are counted in one transaction.
 */
export function subscribeToOrders(): void {
  if (subscribed) return;
  subscribed = true;
  const orderIds = (events: ReadonlyArray<{ resourceId: string }>) => events.map((event) => event.resourceId);
  onEvents(
    'order.placed',
    async (events, { db }) => {
      await countPlacedOrders(db, orderIds(events));
    },
    { name: 'personalisation-purchases' },
  );
  onEvents(
    'order.cancelled',
    async (events, { db }) => {
      await retractCancelledOrders(db, orderIds(events));
    },
    { name: 'personalisation-cancellations' },
  );
}
