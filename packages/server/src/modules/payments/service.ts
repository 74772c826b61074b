import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { ApiError, notFound } from '../../http/problem.js';
import { newId } from '../../lib/ids.js';
import type { PaymentProviderTimeout } from './deadline.js';
import type { AuthoriseResult, PaymentCall } from './provider.js';
import { getPaymentProvider } from './registry.js';
import type { PaymentOperationsTable, PaymentRow, PaymentStatus } from './tables.js';

export async function createPayment(
  tx: Executor,
  input: {
    /** Given when the caller records the id before the payment is written. */
    id: string;
    orderId: string;
    cartId: string;
    channelId: string;
    provider: string;
    currency: string;
    amount: number;
  },
): Promise<PaymentRow> {
  return tx
    .insertInto('payments')
    .values({
      id: input.id,
      order_id: input.orderId,
      cart_id: input.cartId,
      channel_id: input.channelId,
      provider: input.provider,
      provider_reference: null,
      provider_data: JSON.stringify({}) as never,
      currency: input.currency,
      amount: input.amount,
      status: 'pending',
      decline_code: null,
      last_error: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function getPayment(db: Executor, id: string): Promise<PaymentRow> {
  const row = await db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Payment', id);
  return row;
}

/** The order's live payment (a cancelled 3-D Secure attempt leaves a failed one behind). */
export async function paymentOfOrder(
  db: Executor,
  orderId: string,
  lock = false,
): Promise<PaymentRow | null> {
  let query = db.selectFrom('payments').selectAll().where('order_id', '=', orderId).orderBy('id', 'desc');
  if (lock) query = query.forUpdate();
  return (await query.executeTakeFirst()) ?? null;
}

export async function findPaymentByReference(
  db: Executor,
  provider: string,
  reference: string,
  lock = false,
) {
  let query = db
    .selectFrom('payments')
    .selectAll()
    .where('provider', '=', provider)
    .where('provider_reference', '=', reference);
  if (lock) query = query.forUpdate();
  return (await query.executeTakeFirst()) ?? null;
}

type OperationRecord = Pick<
  PaymentOperationsTable,
  'payment_id' | 'kind' | 'amount' | 'succeeded' | 'provider_reference' | 'error'
> & { id?: string };

/** A provider call already made, as the row that keeps it on record. */
const settledOperation = (operation: OperationRecord) => ({
  id: newId('payop'),
  ...operation,
  status: operation.succeeded ? ('succeeded' as const) : ('failed' as const),
  settled_at: sql<Date>`now()`,
  context: JSON.stringify({}) as never,
});

async function recordOperation(db: Executor, operation: OperationRecord): Promise<void> {
  await db.insertInto('payment_operations').values(settledOperation(operation)).execute();
}

export async function setPayment(
  db: Executor,
  id: string,
  changes: Partial<Omit<PaymentRow, 'id' | 'provider_data'>> & { provider_data?: Record<string, unknown> },
): Promise<PaymentRow> {
  const { provider_data, ...rest } = changes;
  return db
    .updateTable('payments')
    .set({
      ...rest,
      ...(provider_data ? { provider_data: JSON.stringify(provider_data) as never } : {}),
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Asks the provider to authorise and records the outcome; never throws for a decline. */
export async function authorisePayment(
  db: Executor,
  payment: PaymentRow,
  token: string,
): Promise<{ result: AuthoriseResult; payment: PaymentRow }> {
  const provider = getPaymentProvider(payment.provider);
  const result = await provider.authorise({
    paymentId: payment.id,
    amount: payment.amount,
    currency: payment.currency,
    token,
  });
  const status: PaymentStatus = result.status === 'declined' ? 'declined' : result.status;
  // The outcome and its record in the log, in one statement: neither is kept without the other.
  const updated = await db
    .with('updated', (qb) =>
      qb
        .updateTable('payments')
        .set({
          status,
          provider_reference: result.reference,
          ...(result.status === 'declined'
            ? { decline_code: result.declineCode, last_error: result.message }
            : { provider_data: JSON.stringify(result.data) as never }),
          updated_at: sql`now()`,
        })
        .where('id', '=', payment.id)
        .returningAll(),
    )
    .with('recorded', (qb) =>
      qb.insertInto('payment_operations').values(
        settledOperation({
          payment_id: payment.id,
          kind: 'authorise',
          amount: payment.amount,
          succeeded: result.status !== 'declined',
          provider_reference: result.reference,
          error: result.status === 'declined' ? result.declineCode : null,
        }),
      ),
    )
    .selectFrom('updated')
    .selectAll()
    .executeTakeFirstOrThrow();
  return { result, payment: updated };
}

export function callOf(payment: PaymentRow, idempotencyKey: string): PaymentCall {
  if (!payment.provider_reference) {
    throw new ApiError(409, 'payment_not_authorised', `Payment ${payment.id} was never authorised`);
  }
  return {
    paymentId: payment.id,
    reference: payment.provider_reference,
    data: payment.provider_data,
    idempotencyKey,
  };
}

export const paymentProviderFailed = (operation: string, error: string) =>
  new ApiError(502, 'payment_provider_error', `The payment provider refused the ${operation}: ${error}`, {
    operation,
  });

/**
 * The provider did not answer in time (same 502 as the other provider failures, its own code):
 * `then` tells the client what became of its request.
 */
export const paymentProviderTimedOut = (
  operation: string,
  timeout: PaymentProviderTimeout,
  then: string,
  extra: Record<string, unknown> = {},
) =>
  new ApiError(
    502,
    'payment_provider_timeout',
    `The payment provider did not answer the ${operation} within ${timeout.timeoutMs} ms. ${then}`,
    { operation, timeout_ms: timeout.timeoutMs, ...extra },
  );

export type PaymentOutcome =
  | { ok: true; payment: PaymentRow }
  | { ok: false; payment: PaymentRow; error: string };

/** A capture of nothing (a free order): there is nothing to ask the provider for. */
export function recordFreeCapture(db: Executor, payment: PaymentRow): Promise<PaymentRow> {
  return setPayment(db, payment.id, { status: 'captured', captured_amount: 0 });
}

/**
 * Voids an authorisation outside any transaction, in one step (checkout's compensation:
 * the order was never placed, so nothing else waits on the outcome).
 */
export async function voidPayment(db: Executor, payment: PaymentRow): Promise<PaymentOutcome> {
  const id = newId('payop');
  const result = await getPaymentProvider(payment.provider).void(callOf(payment, id));
  await recordOperation(db, {
    id,
    payment_id: payment.id,
    kind: 'void',
    amount: 0,
    succeeded: result.ok,
    provider_reference: result.ok ? result.reference : null,
    error: result.ok ? null : result.error,
  });
  if (!result.ok) {
    return {
      ok: false,
      error: result.error,
      payment: await setPayment(db, payment.id, { last_error: result.error }),
    };
  }
  return { ok: true, payment: await setPayment(db, payment.id, { status: 'voided', last_error: null }) };
}

/** A payment whose checkout was given up: it will never be captured. */
export async function markPaymentFailed(db: Executor, paymentId: string, reason: string): Promise<void> {
  await db
    .updateTable('payments')
    .set({ status: 'failed', last_error: reason, updated_at: sql`now()` })
    .where('id', '=', paymentId)
    .execute();
}

/** Keeps an operator-facing note of the last thing that went wrong with the payment. */
export function notePaymentError(db: Executor, paymentId: string, error: string): Promise<PaymentRow> {
  return setPayment(db, paymentId, { last_error: error });
}

/** The outcome of an asynchronous confirmation, recorded on the payment. */
export async function recordWebhookOutcome(
  db: Executor,
  payment: PaymentRow,
  authorised: boolean,
): Promise<PaymentRow> {
  await recordOperation(db, {
    payment_id: payment.id,
    kind: 'webhook',
    amount: authorised ? payment.amount : 0,
    succeeded: authorised,
    provider_reference: payment.provider_reference,
    error: authorised ? null : 'confirmation failed',
  });
  return setPayment(
    db,
    payment.id,
    authorised ? { status: 'authorised' } : { status: 'failed', last_error: 'confirmation failed' },
  );
}

export function presentPayment(row: PaymentRow) {
  return {
    id: row.id,
    provider: row.provider,
    provider_reference: row.provider_reference,
    status: row.status,
    currency: row.currency.trim(),
    amount: row.amount,
    captured_amount: row.captured_amount,
    refunded_amount: row.refunded_amount,
    decline_code: row.decline_code,
    last_error: row.last_error,
    created_at: row.created_at.toISOString(),
  };
}
