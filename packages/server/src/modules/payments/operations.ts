import { sql, type UpdateObject } from 'kysely';
import type { Database, Executor } from '../../db/database.js';
import { literal } from '../../db/plan-stable.js';
import { ApiError } from '../../http/problem.js';
import { newId } from '../../lib/ids.js';
import { PENDING_OPERATION_TIMEOUT_SECONDS } from './deadline.js';
import type { OperationResult } from './provider.js';
import { getPaymentProvider } from './registry.js';
import { callOf, type PaymentOutcome } from './service.js';
import type { PaymentOperationRow, PaymentRow, PaymentStatus } from './tables.js';

/**
 * Captures, refunds and voids of placed orders in two steps around the provider call, so no
 * database transaction waits on the provider: `claimOperation` writes a pending operation
 * (one per payment at a time), the provider is called with the operation id as idempotency
 * key, and `settleOperation` records the outcome. A pending operation older than the
 * timeout lost its process; `takeOverStaleOperation` lets exactly one process retry it with
 * the same key.
 */
export type ProviderOperationKind = 'capture' | 'void' | 'refund';

// Defined next to the call deadline it bounds (deadline.ts): a younger pending operation may
// still be waiting for the provider.
export { PENDING_OPERATION_TIMEOUT_SECONDS };

export const operationInProgress = (paymentId: string, operation?: PaymentOperationRow) =>
  new ApiError(
    409,
    'payment_operation_in_progress',
    `Another operation on payment ${paymentId} is waiting for the provider; retry in a moment`,
    { payment_id: paymentId, operation_id: operation?.id ?? null, operation: operation?.kind ?? null },
  );

export async function pendingOperation(db: Executor, paymentId: string): Promise<PaymentOperationRow | null> {
  return (
    (await db
      .selectFrom('payment_operations')
      .selectAll()
      .where('payment_id', '=', paymentId)
      .where('status', '=', literal('pending'))
      .executeTakeFirst()) ?? null
  );
}

const isUniqueViolation = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';

/** Writes the pending operation; 409 when the payment already has one in flight. */
export async function claimOperation(
  tx: Executor,
  payment: PaymentRow,
  operation: { kind: ProviderOperationKind; amount: number; context: Record<string, unknown> },
): Promise<PaymentOperationRow> {
  if (!payment.provider_reference) {
    throw new ApiError(409, 'payment_not_authorised', `Payment ${payment.id} was never authorised`);
  }
  try {
    return await tx
      .insertInto('payment_operations')
      .values({
        id: newId('payop'),
        payment_id: payment.id,
        kind: operation.kind,
        amount: operation.amount,
        succeeded: false,
        status: 'pending',
        provider_reference: null,
        error: null,
        settled_at: null,
        context: JSON.stringify(operation.context) as never,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error)) throw operationInProgress(payment.id);
    throw error;
  }
}

/**
 * Asks the provider, outside any transaction. The operation id is the idempotency key, so a
 * retry of the same operation is carried out once. Throws when the outcome is unknown
 * (PaymentProviderTimeout after MERX_PAYMENT_TIMEOUT_MS, network): the operation then stays
 * pending.
 */
export function callProvider(payment: PaymentRow, operation: PaymentOperationRow): Promise<OperationResult> {
  const provider = getPaymentProvider(payment.provider);
  const call = callOf(payment, operation.id);
  switch (operation.kind) {
    case 'capture':
      return provider.capture({ ...call, amount: operation.amount });
    case 'refund':
      return provider.refund({ ...call, amount: operation.amount });
    case 'void':
      return provider.void(call);
    default:
      throw new Error(`payment operation ${operation.id} is a ${operation.kind}, not a provider call`);
  }
}

/**
 * Records the provider's answer on the operation and the payment, in one statement. Null when
 * the operation was settled already (by a process that took it over): the outcome is recorded
 * once. The payment is changed in place (a refund adds to what the row holds), not read first.
 */
export async function settleOperation(
  tx: Executor,
  operation: PaymentOperationRow,
  result: OperationResult,
): Promise<PaymentOutcome | null> {
  const payment = await tx
    .with('settled', (qb) =>
      qb
        .updateTable('payment_operations')
        .set({
          status: result.ok ? 'succeeded' : 'failed',
          succeeded: result.ok,
          provider_reference: result.ok ? result.reference : null,
          error: result.ok ? null : result.error,
          settled_at: sql<Date>`now()`,
        })
        .where('id', '=', operation.id)
        .where('status', '=', literal('pending'))
        .returning('id'),
    )
    .updateTable('payments')
    .set({ ...paymentChanges(operation, result), updated_at: sql`now()` })
    .where('id', '=', operation.payment_id)
    .where(({ exists, selectFrom }) => exists(selectFrom('settled').select('settled.id')))
    .returningAll()
    .executeTakeFirst();
  if (!payment) return null;
  return result.ok ? { ok: true, payment } : { ok: false, error: result.error, payment };
}

function paymentChanges(
  operation: PaymentOperationRow,
  result: OperationResult,
): UpdateObject<Database, 'payments'> {
  if (!result.ok) return { last_error: result.error };
  switch (operation.kind) {
    case 'capture':
      return { status: 'captured', captured_amount: operation.amount, last_error: null };
    case 'void':
      return { status: 'voided', last_error: null };
    default:
      return {
        refunded_amount: sql<number>`refunded_amount + ${operation.amount}`,
        status: sql<PaymentStatus>`case when refunded_amount + ${operation.amount} = captured_amount then 'refunded' else 'partially_refunded' end`,
        last_error: null,
      };
  }
}

/**
 * Takes over a pending operation whose process died: succeeds for one caller only (the
 * attempt time moves forward atomically), and only once the operation is older than the
 * timeout, so an operation merely waiting for a slow provider is left alone.
 */
export async function takeOverStaleOperation(
  db: Executor,
  operationId: string,
  timeoutSeconds = PENDING_OPERATION_TIMEOUT_SECONDS,
): Promise<PaymentOperationRow | null> {
  return (
    (await db
      .updateTable('payment_operations')
      .set({ attempted_at: sql<Date>`now()` })
      .where('id', '=', operationId)
      .where('status', '=', literal('pending'))
      .where('attempted_at', '<', sql<Date>`now() - make_interval(secs => ${timeoutSeconds})`)
      .returningAll()
      .executeTakeFirst()) ?? null
  );
}

/** Pending operations older than the timeout, oldest first, for the background recovery. */
export async function staleOperations(
  db: Executor,
  timeoutSeconds = PENDING_OPERATION_TIMEOUT_SECONDS,
  limit = 50,
): Promise<PaymentOperationRow[]> {
  return db
    .selectFrom('payment_operations')
    .selectAll()
    .where('status', '=', literal('pending'))
    .where('attempted_at', '<', sql<Date>`now() - make_interval(secs => ${timeoutSeconds})`)
    .orderBy('attempted_at')
    .limit(limit)
    .execute();
}
