import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { getConsent } from '../customers/index.js';
import { onEvent } from '../events/subscribers.js';
import { orderLines } from '../orders/lifecycle.js';
import { findOrder } from '../orders/service.js';
import { basketDelta } from './algorithms/index.js';
import { addCounts, addTrendingSignals } from './counts.js';
import { refreshNeighbourLists } from './neighbours.js';
import { INTERACTION_WEIGHTS } from './settings.js';

/**
 * A placed order, counted once (the subscriber may see it again after a retry): co-purchase
 * counts and the channel's trending for every order, as anonymous aggregates; a `purchase`
 * interaction in the shopper's history only when the customer consents to personalisation.
 */
export async function countPlacedOrder(db: Executor, orderId: string): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const order = await findOrder(tx, orderId);
    if (!order?.placed_at || order.cancelled) return false;
    const claimed = await tx
      .insertInto('recs_counted_orders')
      .values({ order_id: orderId, retracted_at: null })
      .onConflict((oc) => oc.column('order_id').doNothing())
      .returning('order_id')
      .executeTakeFirst();
    if (!claimed) return false;
    const lines = await orderLines(tx, orderId);
    const productIds = [...new Set(lines.map((line) => line.product_id))];
    await addCounts(tx, 'purchase', basketDelta(productIds));
    await addTrendingSignals(
      tx,
      order.channel_id,
      productIds.map((productId) => ({
        productId,
        at: order.placed_at!.getTime(),
        weight: INTERACTION_WEIGHTS.purchase!,
      })),
    );
    if (order.customer_id && (await getConsent(tx, order.customer_id)).personalisation) {
      for (const line of lines)
        await sql`INSERT INTO interactions (channel_id, customer_id, kind, product_id, quantity, order_id, occurred_at)
          SELECT ${order.channel_id}, ${order.customer_id}, 'purchase', ${line.product_id}, ${line.quantity}, ${orderId},
            ${order.placed_at}
          WHERE EXISTS (SELECT 1 FROM products WHERE id = ${line.product_id})
          ON CONFLICT (order_id, product_id) WHERE kind = 'purchase'
          DO UPDATE SET quantity = interactions.quantity + excluded.quantity`.execute(tx);
    }
    await refreshNeighbourLists(tx, productIds, { boughtTogether: true });
    return true;
  });
}

/** A cancelled order no longer says "bought together": its basket is retracted exactly once. */
export async function retractCancelledOrder(db: Executor, orderId: string): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const retracted = await tx
      .updateTable('recs_counted_orders')
      .set({ retracted_at: new Date() })
      .where('order_id', '=', orderId)
      .where('retracted_at', 'is', null)
      .returning('order_id')
      .executeTakeFirst();
    if (!retracted) return false;
    const order = await findOrder(tx, orderId);
    if (!order) return false;
    const lines = await orderLines(tx, orderId);
    const productIds = [...new Set(lines.map((line) => line.product_id))];
    await addCounts(tx, 'purchase', basketDelta(productIds, -1));
    await tx
      .deleteFrom('interactions')
      .where('order_id', '=', orderId)
      .where('kind', '=', 'purchase')
      .execute();
    await refreshNeighbourLists(tx, productIds, { boughtTogether: true });
    return true;
  });
}

let subscribed = false;

/** Registers the order subscribers once per process (they run from the durable event queue). */
export function subscribeToOrders(): void {
  if (subscribed) return;
  subscribed = true;
  onEvent('order.placed', (event, { db }) => countPlacedOrder(db, event.resourceId).then(() => undefined), {
    name: 'personalisation-purchases',
  });
  onEvent(
    'order.cancelled',
    (event, { db }) => retractCancelledOrder(db, event.resourceId).then(() => undefined),
    { name: 'personalisation-cancellations' },
  );
}
