import { sql, type UpdateObject } from 'kysely';
import type { Database, Executor } from '../../db/database.js';
import { ApiError, notFound } from '../../http/problem.js';
import {
  type OrderAction,
  type OrderState,
  OrderTransitionError,
  type TransitionResult,
  transition,
} from './state-machine.js';
import type { ActorKind, OrderLineRow, OrderRow } from './tables.js';

export interface Actor {
  kind: ActorKind;
  id: string | null;
}

export interface LockedOrder {
  order: OrderRow;
  lines: OrderLineRow[];
}

export async function orderLines(db: Executor, orderId: string): Promise<OrderLineRow[]> {
  return db
    .selectFrom('order_lines')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('position')
    .execute();
}

/**
 * Locks the order row: actions on one order run one at a time, so no refund outruns another.
 * A caller that wrote the lines itself passes them (only fulfilments and returns change
 * lines, and neither can happen to an order that is still pending).
 */
export async function lockOrder(tx: Executor, id: string, knownLines?: OrderLineRow[]): Promise<LockedOrder> {
  const order = await tx.selectFrom('orders').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!order) throw notFound('Order', id);
  return { order, lines: knownLines ?? (await orderLines(tx, id)) };
}

/** `saveTransition` of an order not locked in this transaction found it changed since it was read. */
export class OrderChanged extends Error {
  constructor(orderId: string) {
    super(`order ${orderId} changed since it was read`);
  }
}

export function stateOf({ order, lines }: LockedOrder): OrderState {
  return {
    status: order.status,
    total: order.total,
    authorised: order.authorised_at !== null,
    captured: order.paid_at !== null,
    authorisedAmount: order.authorised_amount,
    capturedAmount: order.captured_amount,
    refundedAmount: order.refunded_amount,
    delivered: order.delivered,
    cancelled: order.cancelled,
    lines: lines.map((line) => ({
      id: line.id,
      quantity: line.quantity,
      fulfilledQuantity: line.fulfilled_quantity,
      returnedQuantity: line.returned_quantity,
    })),
  };
}

/** The pure transition, with its refusals turned into problem responses. */
export function decide(locked: LockedOrder, action: OrderAction): TransitionResult {
  try {
    return transition(stateOf(locked), action);
  } catch (error) {
    if (!(error instanceof OrderTransitionError)) throw error;
    if (error.code === 'illegal_transition') {
      throw new ApiError(409, 'illegal_transition', error.message, { order_status: locked.order.status });
    }
    throw new ApiError(422, error.code, error.message, {
      errors: [{ field: error.field ?? '/body', message: error.message }],
    });
  }
}

/**
 * Writes the new facts and status, and the audit entry saying who did it (one statement).
 * `write.set` adds columns that change with the transition. With `write.unlocked` the order
 * was read earlier, not locked in this transaction: the write then only goes through if the
 * order is still at the version read, and otherwise throws `OrderChanged`, which must roll
 * the transaction back (the audit entry was written with it).
 */
export async function saveTransition(
  tx: Executor,
  locked: LockedOrder,
  result: TransitionResult,
  audit: { actor: Actor; action: string; data?: Record<string, unknown>; cancelReason?: string | null },
  write: { set?: UpdateObject<Database, 'orders'>; unlocked?: boolean } = {},
): Promise<OrderRow> {
  const { state } = result;
  const order = await tx
    .with('audited', (qb) =>
      qb.insertInto('order_audit').values(
        auditValues({
          orderId: locked.order.id,
          actor: audit.actor,
          action: audit.action,
          fromStatus: locked.order.status,
          toStatus: state.status,
          data: audit.data,
        }),
      ),
    )
    .updateTable('orders')
    .set({
      ...write.set,
      status: state.status,
      authorised_at: state.authorised ? sql<Date>`coalesce(authorised_at, now())` : null,
      paid_at: state.captured ? sql<Date>`coalesce(paid_at, now())` : null,
      authorised_amount: state.authorisedAmount,
      captured_amount: state.capturedAmount,
      refunded_amount: state.refundedAmount,
      delivered: state.delivered,
      cancelled: state.cancelled,
      ...(audit.cancelReason !== undefined ? { cancel_reason: audit.cancelReason } : {}),
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('id', '=', locked.order.id)
    .$if(write.unlocked === true, (query) => query.where('version', '=', locked.order.version))
    .returningAll()
    .executeTakeFirst();
  if (!order) throw new OrderChanged(locked.order.id);
  for (const line of state.lines) {
    const before = locked.lines.find((row) => row.id === line.id);
    if (
      before?.fulfilled_quantity === line.fulfilledQuantity &&
      before.returned_quantity === line.returnedQuantity
    ) {
      continue;
    }
    await tx
      .updateTable('order_lines')
      .set({ fulfilled_quantity: line.fulfilledQuantity, returned_quantity: line.returnedQuantity })
      .where('id', '=', line.id)
      .execute();
  }
  return order;
}

export interface AuditEntry {
  orderId: string;
  actor: Actor;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  data?: Record<string, unknown>;
}

export const auditValues = (entry: AuditEntry) => ({
  order_id: entry.orderId,
  actor_kind: entry.actor.kind,
  actor_id: entry.actor.id,
  action: entry.action,
  from_status: entry.fromStatus,
  to_status: entry.toStatus,
  data: JSON.stringify(entry.data ?? {}) as never,
});

export async function writeAudit(tx: Executor, entry: AuditEntry): Promise<void> {
  await tx.insertInto('order_audit').values(auditValues(entry)).execute();
}
