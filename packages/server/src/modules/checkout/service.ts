import type { Db, Executor } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { ApiError, conflict, invalid } from '../../http/problem.js';
import { hashSecret, newId, newSecret } from '../../lib/ids.js';
import { type CartAccess, lockCartForWrite } from '../cart/access.js';
import { type PricedCart, priceCart } from '../cart/pricing.js';
import { reserve } from '../inventory/reservations.js';
import { type Actor, orderLines } from '../orders/lifecycle.js';
import { insertOrder, liveOrderOfCart, newOrderDetail, type OrderDetail } from '../orders/service.js';
import { orderSnapshot } from '../orders/snapshot.js';
import type { OrderLineRow, OrderRow } from '../orders/tables.js';
import { PaymentProviderTimeout } from '../payments/deadline.js';
import { getPaymentProvider } from '../payments/registry.js';
import {
  authorisePayment,
  createPayment,
  markPaymentFailed,
  paymentOfOrder,
  paymentProviderFailed,
  paymentProviderTimedOut,
} from '../payments/service.js';
import type { PaymentRow } from '../payments/tables.js';
import { redeemPromotions } from '../promotions/service.js';
import {
  captureIfAutomatic,
  discardUnplacedOrder,
  type Placement,
  placeOrder,
  voidAndDiscard,
} from './placement.js';

export interface CheckoutInput {
  cartId: string;
  access: CartAccess;
  /** The signed-in customer's address, used when neither the body nor the cart has one. */
  customerEmail: string | null;
  email?: string;
  /** The total the shopper was shown; checkout refuses when the server's total differs. */
  expectedTotal?: number;
  payment: { provider: string; token: string };
}

/** The order as the response shows it, from what checkout wrote (never read back). */
export type CheckoutResult =
  | { kind: 'placed'; detail: OrderDetail; orderToken: string }
  | {
      kind: 'awaiting_confirmation';
      detail: OrderDetail;
      orderToken: string | null;
      nextAction: { type: string; description: string } | null;
    };

const alreadyCheckedOut = (orderId: string | null) =>
  conflict('cart_already_checked_out', 'This cart was checked out already; read the order instead', {
    order_id: orderId,
  });

const checkoutInProgress = (orderId: string) =>
  conflict(
    'checkout_in_progress',
    'Another checkout of this cart is running; retry with the same Idempotency-Key',
    {
      order_id: orderId,
    },
  );

/** What checkout refuses before touching stock or money. */
function assertCheckoutable(priced: PricedCart, email: string | null, expectedTotal?: number): void {
  const unavailable = priced.lines.filter((entry) => !entry.sellable);
  if (unavailable.length > 0) {
    throw conflict(
      'cart_has_unavailable_lines',
      'Some lines can no longer be bought here; remove them first',
      {
        line_ids: unavailable.map((entry) => entry.line.id),
      },
    );
  }
  if (priced.lines.length === 0) throw invalid('The cart is empty', [], 'cart_empty');
  if (!email) {
    throw invalid(
      'An e-mail address is needed for the order confirmation',
      [{ field: '/body/email', message: 'is required when the cart has none' }],
      'email_required',
    );
  }
  const cart = priced.cart;
  if (cart.shipping_option_id && !priced.shipping) {
    throw conflict(
      'shipping_option_unavailable',
      'The chosen shipping option no longer serves this cart; choose again',
    );
  }
  if (cart.shipping_address && !priced.shipping && priced.shippingQuotes.length > 0) {
    throw invalid(
      'Choose a shipping option for this address',
      [{ field: '/cart/shipping_option_id', message: 'is required' }],
      'shipping_option_required',
    );
  }
  if (expectedTotal !== undefined && expectedTotal !== priced.totals.total) {
    throw conflict(
      'total_changed',
      'The cart’s total changed since it was shown; show the new total and confirm again',
      {
        expected_total: expectedTotal,
        total: priced.totals.total,
        currency: priced.currency,
      },
    );
  }
}

interface Reserved {
  order: OrderRow;
  lines: OrderLineRow[];
  priced: PricedCart;
  payment: PaymentRow;
  orderToken: string;
}

/**
 * Step 1, one short transaction: lock the cart, price it from server data, hold the stock,
 * count the promotion uses, write the order as `pending` and open a payment. The pending
 * order is the claim on the cart (unique per cart), so a concurrent or retried checkout of
 * the same cart waits on the cart lock and then finds it instead of charging again.
 */
async function reserveCheckout(
  db: Db,
  input: CheckoutInput,
  actor: Actor,
): Promise<Reserved | CheckoutResult> {
  return inTransaction(db, async (tx) => {
    const locked = await lockCart(tx, input);
    const existing = await liveOrderOfCart(tx, input.cartId);
    if (existing) return resumeExisting(tx, existing);

    const email = input.email ?? locked.cart.email ?? input.customerEmail;
    const priced = await priceCart(tx, locked);
    assertCheckoutable(priced, email, input.expectedTotal);
    await reserve(tx, {
      cartId: input.cartId,
      channelId: priced.channelId,
      lines: priced.lines.map((entry) => ({
        variantId: entry.line.variant_id,
        quantity: entry.line.quantity,
      })),
      // Held until the payment settles: placement commits it, failure releases it.
      ttlSeconds: null,
    });

    const orderId = newId('ord');
    const orderToken = newSecret('ordtok');
    const snapshot = orderSnapshot({
      orderId,
      priced,
      email,
      customerId: locked.cart.customer_id,
      accessTokenHash: hashSecret(orderToken),
    });
    const paymentId = newId('pay');
    const { order, lines } = await insertOrder(tx, snapshot.order, snapshot.lines, {
      actor,
      action: 'checkout',
      data: { payment_id: paymentId },
    });
    await redeemPromotions(tx, {
      promotionIds: priced.promotions.applied.map((applied) => applied.promotionId),
      orderId,
      customerId: locked.cart.customer_id,
      email,
    });
    const payment = await createPayment(tx, {
      id: paymentId,
      orderId,
      cartId: input.cartId,
      channelId: priced.channelId,
      provider: input.payment.provider,
      currency: priced.currency,
      amount: order.total,
    });
    return { order, lines, payment, orderToken, priced };
  });
}

async function lockCart(tx: Executor, input: CheckoutInput) {
  try {
    return await lockCartForWrite(tx, input.cartId, input.access, null, async () => null);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'cart_not_active') {
      throw alreadyCheckedOut((error.extra.order_id as string | null) ?? null);
    }
    throw error;
  }
}

async function resumeExisting(tx: Executor, order: OrderRow): Promise<CheckoutResult> {
  const payment = await paymentOfOrder(tx, order.id);
  if (order.status === 'pending' && payment?.status === 'requires_action') {
    const detail = newOrderDetail({ order, lines: await orderLines(tx, order.id), payment });
    return { kind: 'awaiting_confirmation', detail, orderToken: null, nextAction: null };
  }
  if (order.status === 'pending') throw checkoutInProgress(order.id);
  throw alreadyCheckedOut(order.id);
}

/**
 * An automatic promotion that ran out between pricing and counting is not the shopper's
 * doing: price again (it is no longer offered) instead of refusing. A code the shopper
 * entered is refused, so they are told.
 */
async function reserveRepricingSpentAutomatics(db: Db, input: CheckoutInput, actor: Actor) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await reserveCheckout(db, input, actor);
    } catch (error) {
      const spentAutomatic =
        error instanceof ApiError &&
        error.code === 'promotion_limit_reached' &&
        error.extra.promotion_code === null &&
        error.extra.per_customer === false;
      if (!spentAutomatic || attempt === 3) throw error;
    }
  }
}

/**
 * The authorisation's outcome is unknown (no answer within MERX_PAYMENT_TIMEOUT_MS, network).
 * No reference came back, so there is nothing to void: an authorisation the provider may
 * still make lapses uncaptured. The payment is marked failed and the order discarded, in one
 * transaction, so the shopper can check out again at once. Returns the problem to answer.
 */
async function abandonUnansweredAuthorisation(
  db: Db,
  order: OrderRow,
  payment: PaymentRow,
  error: unknown,
): Promise<ApiError> {
  const reason = error instanceof Error ? error.message : String(error);
  // The order's rows before the payment's, the lock order of every path.
  await inTransaction(db, async (tx) => {
    await discardUnplacedOrder(tx, order);
    await markPaymentFailed(tx, payment.id, `authorisation outcome unknown: ${reason}`);
  });
  if (error instanceof PaymentProviderTimeout) {
    return paymentProviderTimedOut(
      'authorisation',
      error,
      'Nothing was kept (no order, stock and promotion uses released); check out again.',
      { payment_id: payment.id },
    );
  }
  return paymentProviderFailed('authorisation', reason);
}

export const paymentDeclined = (payment: PaymentRow) =>
  new ApiError(402, 'payment_declined', payment.last_error ?? 'The payment was declined', {
    decline_code: payment.decline_code,
    payment_id: payment.id,
  });

/**
 * Checkout, atomic from the caller's point of view. Authorisation happens between two
 * short transactions, never inside one: a provider call can take seconds, and no stock row
 * lock may be held that long. Every failure after step 1 is compensated (void the
 * authorisation, give back stock and promotion uses, delete the unplaced order), so a
 * failed checkout leaves nothing behind but the record of the payment attempt.
 * See docs/architecture.md, "Checkout".
 */
export async function checkout(db: Db, input: CheckoutInput, actor: Actor): Promise<CheckoutResult> {
  getPaymentProvider(input.payment.provider);
  const reserved = await reserveRepricingSpentAutomatics(db, input, actor);
  if ('kind' in reserved) return reserved;
  const { order, lines, orderToken } = reserved;

  let authorised: Awaited<ReturnType<typeof authorisePayment>>;
  try {
    authorised = await authorisePayment(db, reserved.payment, input.payment.token);
  } catch (error) {
    throw await abandonUnansweredAuthorisation(db, order, reserved.payment, error);
  }
  const { result, payment } = authorised;

  if (result.status === 'declined') {
    await inTransaction(db, (tx) => discardUnplacedOrder(tx, order));
    throw paymentDeclined(payment);
  }
  if (result.status === 'requires_action') {
    const detail = newOrderDetail({ order, lines, payment });
    return { kind: 'awaiting_confirmation', detail, orderToken, nextAction: result.nextAction };
  }

  let placement: Placement;
  try {
    placement = await inTransaction(db, (tx) =>
      placeOrder(tx, order.id, payment, actor, lines, reserved.priced),
    );
  } catch (error) {
    await voidAndDiscard(db, order, payment);
    throw error;
  }
  return { kind: 'placed', detail: await captureIfAutomatic(db, placement), orderToken };
}
