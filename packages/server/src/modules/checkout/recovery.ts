import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.js';
import { literal } from '../../db/plan-stable.js';
import { inTransaction } from '../../db/transaction.js';
import { runInBackground } from '../../http/background.js';
import { markPaymentFailed, paymentOfOrder, voidPayment } from '../payments/service.js';
import type { PaymentRow } from '../payments/tables.js';
import {
  cancelUnconfirmedOrder,
  captureIfAutomatic,
  discardUnplacedOrder,
  type Placement,
  placeOrder,
  SYSTEM,
} from './placement.js';

export interface RecoveryOptions {
  /** A checkout still pending after this long lost its process (crash, deploy) between its steps. */
  stalledAfterSeconds: number;
  /** How long a shopper has to confirm a payment (3-D Secure) before the order is cancelled. */
  confirmationWindowSeconds: number;
  batch?: number;
}

export const DEFAULT_RECOVERY: RecoveryOptions = {
  stalledAfterSeconds: 600,
  confirmationWindowSeconds: 3600,
};

export interface RecoveryResult {
  placed: string[];
  discarded: string[];
  cancelled: string[];
}

type Decision =
  | { kind: 'placed'; orderId: string; placement: Placement }
  | { kind: 'discarded' | 'cancelled'; orderId: string; payment: PaymentRow | null };

/**
 * Finishes checkouts whose process died between reserving and placing: an authorisation
 * that was recorded is honoured (the order is placed and captured as usual); one whose
 * outcome was never recorded is voided and the order discarded; a confirmation the shopper
 * never gave is cancelled. Each order is handled under its row lock with SKIP LOCKED, so
 * several nodes can run this at once and a checkout that is merely slow is never touched
 * twice.
 */
export async function recoverStalledCheckouts(
  db: Db,
  options: RecoveryOptions = DEFAULT_RECOVERY,
): Promise<RecoveryResult> {
  const candidates = await db
    .selectFrom('orders')
    .select('id')
    .where('status', '=', literal('pending'))
    .where('created_at', '<', sql<Date>`now() - make_interval(secs => ${options.stalledAfterSeconds})`)
    .orderBy('created_at')
    .limit(options.batch ?? 50)
    .execute();
  const result: RecoveryResult = { placed: [], discarded: [], cancelled: [] };
  for (const { id } of candidates) {
    const decision = await inTransaction(db, (tx) => settleStalled(tx, id, options));
    if (!decision) continue;
    result[decision.kind].push(decision.orderId);
    if (decision.kind === 'placed') {
      await captureIfAutomatic(db, decision.placement);
    } else if (decision.payment?.provider_reference) {
      // After the commit: the stock and promotion uses are back whatever the provider says.
      await voidPayment(db, decision.payment);
    }
  }
  return result;
}

async function settleStalled(
  tx: Executor,
  orderId: string,
  options: RecoveryOptions,
): Promise<Decision | null> {
  const order = await tx
    .selectFrom('orders')
    .selectAll()
    .where('id', '=', orderId)
    .where('status', '=', literal('pending'))
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
  if (!order) return null;
  const payment = await paymentOfOrder(tx, orderId, true);
  if (payment?.status === 'authorised') {
    return { kind: 'placed', orderId, placement: await placeOrder(tx, orderId, payment, SYSTEM) };
  }
  if (payment?.status === 'requires_action') {
    const ageSeconds = (Date.now() - order.created_at.getTime()) / 1000;
    if (ageSeconds < options.confirmationWindowSeconds) return null;
    await markPaymentFailed(tx, payment.id, 'confirmation window passed');
    await cancelUnconfirmedOrder(tx, orderId, SYSTEM);
    return { kind: 'cancelled', orderId, payment };
  }
  if (payment) {
    await markPaymentFailed(tx, payment.id, 'checkout abandoned');
  }
  await discardUnplacedOrder(tx, order);
  return { kind: 'discarded', orderId, payment };
}

const RECOVER_EVERY_MS = 60_000;

/** Runs the recovery in the background on every node (safe concurrently, see above). */
export function startCheckoutRecovery(app: FastifyInstance): void {
  runInBackground(app, {
    name: 'checkout recovery',
    everyMs: RECOVER_EVERY_MS,
    run: async () => {
      await recoverStalledCheckouts(app.merx.db);
    },
  });
}
