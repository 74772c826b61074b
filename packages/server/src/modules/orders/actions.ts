import type { Db, Executor } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { ApiError } from '../../http/problem.js';
import { newId } from '../../lib/ids.js';
import { PaymentProviderTimeout } from '../payments/deadline.js';
import {
  callProvider,
  claimOperation,
  operationInProgress,
  PENDING_OPERATION_TIMEOUT_SECONDS,
  type ProviderOperationKind,
  pendingOperation,
  settleOperation,
  takeOverStaleOperation,
} from '../payments/operations.js';
import type { OperationResult } from '../payments/provider.js';
import {
  getPayment,
  paymentOfOrder,
  paymentProviderFailed,
  paymentProviderTimedOut,
  recordFreeCapture,
} from '../payments/service.js';
import type { PaymentOperationRow, PaymentRow } from '../payments/tables.js';
import { type Actor, decide, lockOrder, OrderChanged, saveTransition } from './lifecycle.js';
import {
  announce,
  applySteps,
  type FulfilInput,
  needsProvider,
  type OrderPlan,
  type ReturnInput,
  type Step,
  stepsOf,
} from './plans.js';
import { getOrderRow, loadOrderDetail, newOrderDetail, type OrderDetail } from './service.js';
import type { OrderEffect } from './state-machine.js';
import type { OrderLineRow, OrderRow } from './tables.js';

export type { FulfilInput, ReturnInput } from './plans.js';

/** Stored with a claimed payment operation: enough to finish the action after a crash. */
interface OperationContext {
  order_id: string;
  plan: OrderPlan;
  actor: Actor;
}

const operationKinds: Record<string, ProviderOperationKind> = {
  capture_payment: 'capture',
  refund_payment: 'refund',
  void_payment: 'void',
};

const RETRIED_LATER = `It is retried with the same idempotency key after ${PENDING_OPERATION_TIMEOUT_SECONDS} seconds.`;

/** The operation stays pending either way; a timeout says so by its own code. */
const outcomeUnknown = (operation: PaymentOperationRow, error: unknown) => {
  if (error instanceof PaymentProviderTimeout) {
    return paymentProviderTimedOut(operation.kind, error, RETRIED_LATER, { operation_id: operation.id });
  }
  return new ApiError(
    502,
    'payment_outcome_unknown',
    `The payment provider did not answer the ${operation.kind}: ${error instanceof Error ? error.message : String(error)}. ${RETRIED_LATER}`,
    { operation: operation.kind, operation_id: operation.id },
  );
};

type Begun =
  | { kind: 'done'; order: OrderRow }
  | { kind: 'claimed'; operation: PaymentOperationRow }
  | { kind: 'busy'; operation: PaymentOperationRow };

/**
 * Step 1, one short transaction: lock the order, check the action (the same 4xx as ever),
 * and either apply it at once (no provider call needed) or claim the payment operation.
 * While an operation is in flight every other action on the order waits its turn (409), so
 * the order cannot move under the provider call.
 */
function begin(db: Db, orderId: string, plan: OrderPlan, actor: Actor): Promise<Begun> {
  return inTransaction(db, async (tx) => {
    const locked = await lockOrder(tx, orderId);
    const steps = stepsOf(orderId, plan);
    const effects: OrderEffect[] = steps.flatMap((step) => decide(locked, step.action(locked)).effects);
    const payment = await paymentOfOrder(tx, orderId, true);
    const pending = payment ? await pendingOperation(tx, payment.id) : null;
    if (pending) return { kind: 'busy', operation: pending };
    const effect = effects.find(needsProvider);
    if (!effect) return { kind: 'done', order: await applySteps(tx, orderId, steps, actor, false) };
    if (!payment) throw paymentProviderFailed(effect.type, 'the order has no payment');
    const context: OperationContext = { order_id: orderId, plan, actor };
    const operation = await claimOperation(tx, payment, {
      kind: operationKinds[effect.type] as ProviderOperationKind,
      amount: 'amount' in effect ? effect.amount : 0,
      context: context as unknown as Record<string, unknown>,
    });
    return { kind: 'claimed', operation };
  });
}

type Finished = { kind: 'applied'; order: OrderRow } | { kind: 'failed'; error: string };

/**
 * Steps 2 and 3: the provider call outside any transaction, then one transaction that
 * records the outcome (a refusal is kept in the log) and, on success, applies the action.
 * Whoever settles the operation first applies it; a second settler finds it settled.
 */
async function finish(db: Db, operation: PaymentOperationRow): Promise<Finished> {
  const payment = await getPayment(db, operation.payment_id);
  return settle(db, operation, await askProvider(payment, operation));
}

async function askProvider(payment: PaymentRow, operation: PaymentOperationRow): Promise<OperationResult> {
  try {
    return await callProvider(payment, operation);
  } catch (error) {
    throw outcomeUnknown(operation, error);
  }
}

async function settle(db: Db, operation: PaymentOperationRow, result: OperationResult): Promise<Finished> {
  const context = operation.context as unknown as OperationContext;
  try {
    return (
      (await inTransaction(db, async (tx): Promise<Finished | null> => {
        await lockOrder(tx, context.order_id);
        const outcome = await settleOperation(tx, operation, result);
        if (!outcome) return null;
        if (!outcome.ok) return { kind: 'failed', error: outcome.error };
        const steps = stepsOf(context.order_id, context.plan);
        return { kind: 'applied', order: await applySteps(tx, context.order_id, steps, context.actor, true) };
      })) ?? (await settledElsewhere(db, operation))
    );
  } catch (error) {
    // The money moved (or was refused) but the order could not follow: keep the outcome.
    await inTransaction(db, (tx) => settleOperation(tx, operation, result));
    throw error;
  }
}

async function settledElsewhere(db: Db, operation: PaymentOperationRow): Promise<Finished> {
  const settled = await db
    .selectFrom('payment_operations')
    .select(['status', 'error'])
    .where('id', '=', operation.id)
    .executeTakeFirstOrThrow();
  if (settled.status === 'failed') return { kind: 'failed', error: settled.error ?? 'refused' };
  const context = operation.context as unknown as OperationContext;
  return { kind: 'applied', order: await getOrderRow(db, context.order_id) };
}

/**
 * Finishes an operation whose process died (older than the timeout), retrying the provider
 * with the same idempotency key. Null when it is not stale or another process took it.
 */
export async function recoverOperation(
  db: Db,
  operationId: string,
  timeoutSeconds = PENDING_OPERATION_TIMEOUT_SECONDS,
): Promise<Finished | null> {
  const taken = await takeOverStaleOperation(db, operationId, timeoutSeconds);
  return taken ? finish(db, taken) : null;
}

/**
 * Runs an admin action. One without a provider call is one transaction. One with a capture,
 * refund or void never holds a transaction across the provider call (see
 * docs/architecture.md, "Admin payment actions").
 */
async function run(db: Db, orderId: string, plan: OrderPlan, actor: Actor): Promise<OrderRow> {
  for (;;) {
    const begun = await begin(db, orderId, plan, actor);
    if (begun.kind === 'done') return begun.order;
    if (begun.kind === 'busy') {
      // A stale operation is finished first, whatever its outcome; then this action runs.
      if (!(await recoverOperation(db, begun.operation.id))) {
        throw operationInProgress(begun.operation.payment_id, begun.operation);
      }
      continue;
    }
    const finished = await finish(db, begun.operation);
    if (finished.kind === 'failed') throw paymentProviderFailed(begun.operation.kind, finished.error);
    return finished.order;
  }
}

const CAPTURE_IN_FULL: OrderPlan = { type: 'capture', amount: null };

/** An order as the transaction that placed it left it, with its payment. */
export interface PlacedOrder {
  order: OrderRow;
  lines: OrderLineRow[];
  payment: PaymentRow;
}

export type AutomaticCapture =
  | { kind: 'claimed'; operation: PaymentOperationRow }
  | { kind: 'captured'; placed: PlacedOrder };

/**
 * Checkout's automatic capture, step 1, inside the transaction that places the order (which
 * holds the order's row lock): the same operation an admin capture of everything claims,
 * with the same context, so the sweep finishes it after a crash like any other. `begin`'s
 * look for a pending operation is not needed: the payment was authorised for this very
 * order, which was pending until this transaction, and no action on a pending order claims
 * an operation (there is nothing to capture, refund or void yet). A free order needs no
 * provider: it is captured here and now.
 */
export async function claimAutomaticCapture(
  tx: Executor,
  placed: PlacedOrder,
  actor: Actor,
): Promise<AutomaticCapture> {
  const [step] = stepsOf(placed.order.id, CAPTURE_IN_FULL) as [Step];
  const effect = decide(placed, step.action(placed)).effects.find(needsProvider);
  if (!effect) {
    const captured = await applyCapture(tx, placed, actor, {}, () => recordFreeCapture(tx, placed.payment));
    return { kind: 'captured', placed: captured };
  }
  const context: OperationContext = { order_id: placed.order.id, plan: CAPTURE_IN_FULL, actor };
  const operation = await claimOperation(tx, placed.payment, {
    kind: 'capture',
    amount: 'amount' in effect ? effect.amount : 0,
    context: context as unknown as Record<string, unknown>,
  });
  return { kind: 'claimed', operation };
}

/**
 * Checkout's automatic capture, steps 2 and 3: the provider call, then one transaction that
 * writes the capture from what the placing transaction knew instead of locking and reading
 * the order, its lines and the payment again. That is safe because the pending operation
 * keeps every action off the order (`begin` answers 409) until it is settled. The one way
 * around it, the sweep taking over an operation older than the timeout, is caught by the
 * order's version (checked by the write) and the operation's status (settled once); either
 * rolls the shortcut back and the general path settles. Throws like `captureOrder`.
 */
export async function finishAutomaticCapture(
  db: Db,
  placed: PlacedOrder,
  operation: PaymentOperationRow,
): Promise<OrderDetail> {
  const result = await askProvider(placed.payment, operation);
  const captured = result.ok ? await settleCapture(db, placed, operation, result) : null;
  if (captured) return newOrderDetail(captured);
  const finished = await settle(db, operation, result);
  if (finished.kind === 'failed') throw paymentProviderFailed(operation.kind, finished.error);
  return loadOrderDetail(db, finished.order);
}

class SettledElsewhere extends Error {}

async function settleCapture(
  db: Db,
  placed: PlacedOrder,
  operation: PaymentOperationRow,
  result: OperationResult,
): Promise<PlacedOrder | null> {
  const context = operation.context as unknown as OperationContext;
  try {
    return await inTransaction(db, (tx) =>
      applyCapture(tx, placed, context.actor, { unlocked: true }, async () => {
        const outcome = await settleOperation(tx, operation, result);
        if (!outcome) throw new SettledElsewhere();
        return outcome.payment;
      }),
    );
  } catch (error) {
    if (error instanceof OrderChanged || error instanceof SettledElsewhere) return null;
    await inTransaction(db, (tx) => settleOperation(tx, operation, result));
    throw error;
  }
}

/**
 * The capture step of `CAPTURE_IN_FULL` on an order already known, once the provider was
 * dealt with. The order is written first (its row lock before the payment's, as on every
 * path), the payment next, and `order.paid` only once the payment's outcome is recorded.
 */
async function applyCapture(
  tx: Executor,
  known: PlacedOrder,
  actor: Actor,
  write: { unlocked?: boolean },
  recordPayment: () => Promise<PaymentRow>,
): Promise<PlacedOrder> {
  const [step] = stepsOf(known.order.id, CAPTURE_IN_FULL) as [Step];
  const result = decide(known, step.action(known));
  const order = await saveTransition(tx, known, result, { actor, action: step.name, data: step.data }, write);
  const payment = await recordPayment();
  if (step.event) await announce(tx, step.event, order);
  return { order, lines: known.lines, payment };
}

/** Captures the authorisation: all of it by default, or less (the rest is released). */
export function captureOrder(db: Db, orderId: string, input: { amount?: number }, actor: Actor) {
  return run(db, orderId, { type: 'capture', amount: input.amount ?? null }, actor);
}

export function refundOrder(
  db: Db,
  orderId: string,
  input: { amount: number; reason?: string },
  actor: Actor,
) {
  return run(db, orderId, { type: 'refund', amount: input.amount, reason: input.reason ?? null }, actor);
}

export function cancelOrder(db: Db, orderId: string, input: { reason?: string }, actor: Actor) {
  return run(db, orderId, { type: 'cancel', reason: input.reason ?? null }, actor);
}

export function fulfilOrder(db: Db, orderId: string, input: FulfilInput, actor: Actor) {
  return run(db, orderId, { type: 'fulfil', fulfilmentId: newId('ful'), input }, actor);
}

export function deliverOrder(db: Db, orderId: string, actor: Actor) {
  return run(db, orderId, { type: 'deliver' }, actor);
}

/**
 * Records returned units and, by default, puts them back on the shelf; with `refund_amount`
 * the return is recorded only once the provider refunded (both or neither).
 */
export function returnOrder(db: Db, orderId: string, input: ReturnInput, actor: Actor) {
  return run(db, orderId, { type: 'return', returnId: newId('ret'), input }, actor);
}
