import { timingSafeEqual } from 'node:crypto';
import type { Executor } from '../../db/database.js';
import { literal } from '../../db/plan-stable.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { notFound } from '../../http/problem.js';
import { hashSecret } from '../../lib/ids.js';
import { paymentOfOrder, presentPayment } from '../payments/service.js';
import type { PaymentRow } from '../payments/tables.js';
import { type AuditEntry, auditValues, orderLines } from './lifecycle.js';
import type { OrderLineValues, OrderValues } from './snapshot.js';
import type { OrderStatus } from './state-machine.js';
import type { OrderAuditRow, OrderFulfilmentRow, OrderLineRow, OrderReturnRow, OrderRow } from './tables.js';

/**
 * Writes a new order, its lines (in position order) and its first audit entry in one
 * statement. The lines are as given (nothing about them is generated but the zero counts),
 * so they are not read back.
 */
export async function insertOrder(
  tx: Executor,
  order: OrderValues,
  lines: OrderLineValues[],
  audit: Pick<AuditEntry, 'actor' | 'action' | 'data'>,
): Promise<{ order: OrderRow; lines: OrderLineRow[] }> {
  // References to the order are checked at the end of the statement, when it exists. There
  // is always a line: checkout refuses an empty cart.
  const row = await tx
    .with('audited', (qb) =>
      qb
        .insertInto('order_audit')
        .values(auditValues({ ...audit, orderId: order.id, fromStatus: null, toStatus: order.status })),
    )
    .with('lines', (qb) => qb.insertInto('order_lines').values(lines))
    .insertInto('orders')
    .values({
      ...order,
      shipping_address: JSON.stringify(order.shipping_address) as never,
      billing_address: JSON.stringify(order.billing_address) as never,
      shipping_method: JSON.stringify(order.shipping_method) as never,
      promotions: JSON.stringify(order.promotions) as never,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return {
    order: row,
    lines: lines.map((line) => ({ ...line, fulfilled_quantity: 0, returned_quantity: 0 })),
  };
}

export async function findOrder(db: Executor, id: string): Promise<OrderRow | null> {
  return (await db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** The order a cart produced, unless it was cancelled before it was ever placed. */
export async function liveOrderOfCart(db: Executor, cartId: string): Promise<OrderRow | null> {
  return (
    (await db
      .selectFrom('orders')
      .selectAll()
      .where('cart_id', '=', cartId)
      .where('cancelled', '=', literal(false))
      .executeTakeFirst()) ?? null
  );
}

export interface StoreReader {
  channelId: string;
  customerId: string | null;
  orderToken: string | null;
}

function tokenMatches(order: OrderRow, token: string | null): boolean {
  if (!token) return false;
  const given = Buffer.from(hashSecret(token), 'hex');
  return timingSafeEqual(given, Buffer.from(order.access_token_hash, 'hex'));
}

/**
 * A shopper reads an order only as its customer (signed in, any channel) or, for a guest
 * order, with the access token checkout returned, through the channel it was placed in.
 * Anything else is indistinguishable from an unknown id.
 */
export async function getOrderForShopper(db: Executor, id: string, reader: StoreReader): Promise<OrderRow> {
  const order = await findOrder(db, id);
  const allowed =
    order !== null &&
    (order.customer_id !== null
      ? order.customer_id === reader.customerId
      : order.channel_id === reader.channelId && tokenMatches(order, reader.orderToken));
  if (!order || !allowed) throw notFound('Order', id);
  return order;
}

export async function getOrderRow(db: Executor, id: string): Promise<OrderRow> {
  const order = await findOrder(db, id);
  if (!order) throw notFound('Order', id);
  return order;
}

export interface OrderDetail {
  order: OrderRow;
  lines: OrderLineRow[];
  payment: PaymentRow | null;
  fulfilments: OrderFulfilmentRow[];
  returns: OrderReturnRow[];
}

/** An order its own transaction just wrote: it has no fulfilments or returns yet. */
export function newOrderDetail(placed: Pick<OrderDetail, 'order' | 'lines' | 'payment'>): OrderDetail {
  return { ...placed, fulfilments: [], returns: [] };
}

export async function loadOrderDetail(db: Executor, order: OrderRow): Promise<OrderDetail> {
  const [lines, payment, fulfilments, returns] = await Promise.all([
    orderLines(db, order.id),
    paymentOfOrder(db, order.id),
    db.selectFrom('order_fulfilments').selectAll().where('order_id', '=', order.id).orderBy('id').execute(),
    db.selectFrom('order_returns').selectAll().where('order_id', '=', order.id).orderBy('id').execute(),
  ]);
  return { order, lines, payment, fulfilments, returns };
}

export async function orderAudit(db: Executor, orderId: string): Promise<OrderAuditRow[]> {
  return db.selectFrom('order_audit').selectAll().where('order_id', '=', orderId).orderBy('seq').execute();
}

export interface OrderFilter {
  limit: number;
  cursor?: string;
  status?: OrderStatus;
  customer_id?: string;
  channel_id?: string;
  created_after?: string;
  created_before?: string;
  q?: string;
}

/** Newest first. `q` matches an order number, an order id or (part of) an e-mail address. */
export async function listOrders(db: Executor, filter: OrderFilter) {
  const after = decodeCursor(filter.cursor, 1);
  let query = db
    .selectFrom('orders')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(filter.limit + 1);
  if (after) query = query.where('id', '<', String(after[0]));
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.customer_id) query = query.where('customer_id', '=', filter.customer_id);
  if (filter.channel_id) query = query.where('channel_id', '=', filter.channel_id);
  if (filter.created_after) query = query.where('created_at', '>=', new Date(filter.created_after));
  if (filter.created_before) query = query.where('created_at', '<', new Date(filter.created_before));
  const q = filter.q?.trim();
  if (q) {
    const number = /^#?\d{1,15}$/.test(q) ? Number(q.replace('#', '')) : null;
    const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('id', '=', q),
        eb(eb.fn('lower', ['email']), 'like', pattern),
        ...(number !== null ? [eb('number', '=', number)] : []),
      ]),
    );
  }
  return toPage(await query.execute(), filter.limit, (row) => [row.id]);
}

export async function listCustomerOrders(
  db: Executor,
  customerId: string,
  page: { limit: number; cursor?: string },
) {
  return listOrders(db, { ...page, customer_id: customerId });
}

export function presentOrderSummary(order: OrderRow) {
  return {
    id: order.id,
    number: order.number,
    status: order.status,
    channel_id: order.channel_id,
    customer_id: order.customer_id,
    email: order.email,
    currency: order.currency.trim(),
    subtotal: order.subtotal,
    discount_total: order.discount_total,
    shipping_total: order.shipping_total,
    tax_total: order.tax_total,
    total: order.total,
    tax_inclusive: order.tax_inclusive,
    authorised_amount: order.authorised_amount,
    captured_amount: order.captured_amount,
    refunded_amount: order.refunded_amount,
    cancel_reason: order.cancel_reason,
    placed_at: order.placed_at?.toISOString() ?? null,
    paid_at: order.paid_at?.toISOString() ?? null,
    created_at: order.created_at.toISOString(),
    updated_at: order.updated_at.toISOString(),
    version: order.version,
  };
}

export function presentOrder(detail: OrderDetail) {
  const { order } = detail;
  return {
    ...presentOrderSummary(order),
    cart_id: order.cart_id,
    shipping_address: order.shipping_address,
    billing_address: order.billing_address,
    shipping_method: order.shipping_method,
    promotions: order.promotions,
    lines: detail.lines.map((line) => ({
      id: line.id,
      variant_id: line.variant_id,
      product_id: line.product_id,
      sku: line.sku,
      product_title: line.product_title,
      variant_title: line.variant_title,
      image_url: line.image_url,
      unit_price: line.unit_price,
      quantity: line.quantity,
      subtotal: line.subtotal,
      discount: line.discount,
      tax: line.tax,
      tax_rate_bps: line.tax_rate_bps,
      total: line.total,
      fulfilled_quantity: line.fulfilled_quantity,
      returned_quantity: line.returned_quantity,
    })),
    payment: detail.payment ? presentPayment(detail.payment) : null,
    fulfilments: detail.fulfilments.map((fulfilment) => ({
      id: fulfilment.id,
      lines: fulfilment.lines.map((line) => ({ line_id: line.lineId, quantity: line.quantity })),
      carrier: fulfilment.carrier,
      tracking_number: fulfilment.tracking_number,
      tracking_url: fulfilment.tracking_url,
      created_at: fulfilment.created_at.toISOString(),
    })),
    returns: detail.returns.map((entry) => ({
      id: entry.id,
      lines: entry.lines.map((line) => ({ line_id: line.lineId, quantity: line.quantity })),
      restocked: entry.restocked,
      refund_amount: entry.refund_amount,
      reason: entry.reason,
      created_at: entry.created_at.toISOString(),
    })),
  };
}

export function presentAudit(row: OrderAuditRow) {
  return {
    actor: { kind: row.actor_kind, id: row.actor_id },
    action: row.action,
    from_status: row.from_status,
    to_status: row.to_status,
    data: row.data,
    at: row.created_at.toISOString(),
  };
}
