import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { ApiError } from '../../http/problem.js';
import type { PricedCart } from '../cart/pricing.js';
import { markCartCompleted } from '../cart/service.js';
import { emitEvent } from '../events/outbox.js';
import { commitReservations, releaseReservations, touchReservations } from '../inventory/reservations.js';
import { getReservationSettings } from '../inventory/settings.js';
import { claimAutomaticCapture, finishAutomaticCapture, type PlacedOrder } from '../orders/actions.js';
import { type Actor, decide, lockOrder, saveTransition, writeAudit } from '../orders/lifecycle.js';
import { newOrderDetail, type OrderDetail, presentOrderSummary } from '../orders/service.js';
import type { OrderLineRow, OrderRow } from '../orders/tables.js';
import { notePaymentError, voidPayment } from '../payments/service.js';
import type { PaymentOperationRow, PaymentRow } from '../payments/tables.js';
import { releasePromotionRedemptions } from '../promotions/service.js';
import { getCheckoutSettings } from './settings.js';

export const SYSTEM: Actor = { kind: 'system', id: null };

/** A placed order, and the automatic capture claimed for it (none for manual capture or a free order). */
export interface Placement {
  placed: PlacedOrder;
  capture: PaymentOperationRow | null;
}

/**
 * The payment is authorised: the order becomes real. Its held stock leaves the shelf, the
 * cart completes and `order.placed` is written, all in one transaction. On a channel that
 * captures automatically the capture operation is claimed in the same transaction (see
 * `claimAutomaticCapture`), so a crash before the provider is asked leaves it to the sweep.
 * `knownLines` are the order's lines when the caller wrote them itself.
 */
export async function placeOrder(
  tx: Executor,
  orderId: string,
  payment: PaymentRow,
  actor: Actor,
  knownLines?: OrderLineRow[],
  /** The cart as checkout priced it (saves pricing it again for `cart.completed`). */
  pricedCart?: PricedCart,
): Promise<Placement> {
  const locked = await lockOrder(tx, orderId, knownLines);
  const result = decide(locked, { type: 'authorise', amount: payment.amount });
  // Cart before stock, the order every cart write takes its locks in, so the two never deadlock.
  await markCartCompleted(tx, locked.order.cart_id, orderId, pricedCart);
  const committed = await commitReservations(tx, {
    cartId: locked.order.cart_id,
    orderId,
    actor: `${actor.kind}:${actor.id ?? '-'}`,
  });
  const order = await saveTransition(
    tx,
    locked,
    result,
    { actor, action: 'authorise', data: { payment_id: payment.id, amount: payment.amount } },
    { set: { committed_stock: JSON.stringify(committed) as never, placed_at: sql`now()` } },
  );
  await emitEvent(tx, {
    type: 'order.placed',
    resourceType: 'order',
    resourceId: order.id,
    channelId: order.channel_id,
    customerId: order.customer_id,
    data: presentOrderSummary(order),
  });
  const placed: PlacedOrder = { order, lines: locked.lines, payment };
  const settings = await getCheckoutSettings(tx, order.channel_id);
  if (settings.captureMode !== 'automatic') return { placed, capture: null };
  const capture = await claimAutomaticCapture(tx, placed, SYSTEM);
  return capture.kind === 'claimed'
    ? { placed, capture: capture.operation }
    : { placed: capture.placed, capture: null };
}

type CartOrder = Pick<OrderRow, 'id' | 'cart_id' | 'channel_id'>;

/**
 * Gives back the stock a checkout held for a cart that stays open. On channels that reserve
 * at add-to-cart the shopper keeps the holds, lapsing again after the channel's TTL;
 * elsewhere they are released at once.
 */
async function returnCartHolds(tx: Executor, order: CartOrder): Promise<void> {
  const settings = await getReservationSettings(tx, order.channel_id);
  if (settings.point === 'at_add_to_cart') await touchReservations(tx, order.cart_id, settings.ttlSeconds);
  else await releaseReservations(tx, { cartId: order.cart_id });
}

/**
 * Undoes a checkout whose payment never went through: the order row (never placed, never
 * announced) is deleted, its stock holds and promotion uses are given back. The payment
 * attempt stays on record without an order.
 */
export async function discardUnplacedOrder(tx: Executor, order: CartOrder): Promise<void> {
  await returnCartHolds(tx, order);
  await releasePromotionRedemptions(tx, order.id);
  await tx.deleteFrom('orders').where('id', '=', order.id).where('status', '=', 'pending').execute();
}

/**
 * Compensation after a failure past authorisation: the money hold is voided first (a void
 * of an authorisation is always safe), then the unplaced order is discarded. A void that
 * fails, or whose outcome is unknown (no answer within MERX_PAYMENT_TIMEOUT_MS), is kept on
 * the payment's record (`last_error`) for an operator; the order is discarded all the same,
 * or the checkout recovery would later place it on the authorisation the shopper was told failed.
 */
export async function voidAndDiscard(db: Db, order: CartOrder, payment: PaymentRow) {
  if (payment.provider_reference) {
    try {
      await voidPayment(db, payment);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await notePaymentError(db, payment.id, `void outcome unknown: ${reason}`);
    }
  }
  await inTransaction(db, (tx) => discardUnplacedOrder(tx, order));
}

/**
 * A payment that needed the shopper's confirmation failed: the pending order is cancelled
 * (the shopper saw it, so it stays readable) and frees the cart for another attempt.
 */
export async function cancelUnconfirmedOrder(tx: Executor, orderId: string, actor: Actor): Promise<OrderRow> {
  const locked = await lockOrder(tx, orderId);
  const result = decide(locked, { type: 'cancel' });
  await returnCartHolds(tx, locked.order);
  await releasePromotionRedemptions(tx, orderId);
  return saveTransition(tx, locked, result, {
    actor,
    action: 'payment_failed',
    cancelReason: 'payment_failed',
  });
}

/**
 * Finishes the capture `placeOrder` claimed. A refused capture, or one whose outcome is
 * unknown (the sweep retries it with the same key), leaves the order authorised (an admin
 * can capture later) and says why in the audit trail; it does not fail the checkout, because
 * the order exists and the money is held.
 */
export async function captureIfAutomatic(db: Db, { placed, capture }: Placement): Promise<OrderDetail> {
  if (!capture) return newOrderDetail(placed);
  try {
    return await finishAutomaticCapture(db, placed, capture);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const payment = await inTransaction(db, async (tx) => {
      await writeAudit(tx, {
        orderId: placed.order.id,
        actor: SYSTEM,
        action: 'auto_capture_failed',
        fromStatus: placed.order.status,
        toStatus: placed.order.status,
        data: { error: error.message },
      });
      return notePaymentError(tx, placed.payment.id, error.message);
    });
    return newOrderDetail({ ...placed, payment });
  }
}
