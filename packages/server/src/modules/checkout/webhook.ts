import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { ApiError } from '../../http/problem.js';
import type { Actor } from '../orders/lifecycle.js';
import { WebhookRejected } from '../payments/provider.js';
import { getPaymentProvider } from '../payments/registry.js';
import { findPaymentByReference, recordWebhookOutcome, voidPayment } from '../payments/service.js';
import { cancelUnconfirmedOrder, captureIfAutomatic, type Placement, placeOrder } from './placement.js';

export interface WebhookOutcome {
  received: true;
  /** What the webhook did: a repeat delivery changes nothing. */
  result: 'order_placed' | 'order_cancelled' | 'already_processed';
  order_id: string | null;
}

/**
 * A provider reports the outcome of a payment that needed the shopper's confirmation. The
 * signature and timestamp are checked first; the payment row is then locked so duplicate or
 * concurrent deliveries of the same event act once.
 */
export async function handlePaymentWebhook(
  db: Db,
  providerId: string,
  request: { headers: Record<string, string | string[] | undefined>; rawBody: string },
): Promise<WebhookOutcome> {
  const provider = getPaymentProvider(providerId);
  let event: ReturnType<typeof provider.verifyWebhook>;
  try {
    event = provider.verifyWebhook({ ...request, now: new Date() });
  } catch (error) {
    if (error instanceof WebhookRejected) throw new ApiError(400, 'invalid_webhook', error.message);
    throw error;
  }
  const actor: Actor = { kind: 'payment_provider', id: providerId };
  let settled: { outcome: WebhookOutcome; placed: Placement | null };
  try {
    settled = await inTransaction(db, async (tx) => {
      const payment = await findPaymentByReference(tx, providerId, event.reference, true);
      if (!payment) throw new ApiError(404, 'not_found', `No payment with reference ${event.reference}`);
      if (payment.status !== 'requires_action' || !payment.order_id) {
        return { outcome: outcomeOf('already_processed', payment.order_id), placed: null };
      }
      if (event.type === 'payment.failed') {
        await recordWebhookOutcome(tx, payment, false);
        await cancelUnconfirmedOrder(tx, payment.order_id, actor);
        return { outcome: outcomeOf('order_cancelled', payment.order_id), placed: null };
      }
      const confirmed = await recordWebhookOutcome(tx, payment, true);
      const placed = await placeOrder(tx, payment.order_id, confirmed, actor);
      return { outcome: outcomeOf('order_placed', placed.placed.order.id), placed };
    });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) throw error;
    // The shopper confirmed but the order could not be placed: the money hold must not
    // outlive it, and the pending order gives its stock back.
    return abandonConfirmedPayment(db, providerId, event.reference, actor, error);
  }
  if (settled.placed) await captureIfAutomatic(db, settled.placed);
  return settled.outcome;
}

const outcomeOf = (result: WebhookOutcome['result'], orderId: string | null): WebhookOutcome => ({
  received: true,
  result,
  order_id: orderId,
});

async function abandonConfirmedPayment(
  db: Db,
  providerId: string,
  reference: string,
  actor: Actor,
  cause: unknown,
): Promise<WebhookOutcome> {
  const payment = await findPaymentByReference(db, providerId, reference);
  if (!payment?.order_id || payment.status !== 'requires_action') throw cause;
  await voidPayment(db, payment);
  const orderId = payment.order_id;
  await inTransaction(db, (tx) => cancelUnconfirmedOrder(tx, orderId, actor));
  return outcomeOf('order_cancelled', orderId);
}
