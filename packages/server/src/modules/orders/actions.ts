import type { Executor } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { newId } from '../../lib/ids.js';
import { emitEvent } from '../events/outbox.js';
import { releaseReservations } from '../inventory/reservations.js';
import { restock } from '../inventory/stock.js';
import {
  capturePayment,
  type PaymentOutcome,
  paymentOfOrder,
  paymentProviderFailed,
  refundPayment,
  voidPayment,
} from '../payments/service.js';
import { type Actor, decide, type LockedOrder, lockOrder, saveTransition } from './lifecycle.js';
import { presentOrderSummary } from './service.js';
import type { LineQuantity, OrderAction, OrderEffect } from './state-machine.js';
import type { OrderRow } from './tables.js';

type OrderEvent = 'order.paid' | 'order.fulfilled' | 'order.cancelled' | 'order.refunded';

interface ActOptions {
  actor: Actor;
  name: string;
  data?: Record<string, unknown>;
  cancelReason?: string | null;
  event?: OrderEvent;
  /** Effects the caller chose to forgo (damaged returns are not restocked). */
  skipEffects?: ReadonlyArray<OrderEffect['type']>;
  /** Writes that belong with the action (a fulfilment or return row). */
  record?: (tx: Executor, order: OrderRow) => Promise<void>;
}

const actorLabel = (actor: Actor) => `${actor.kind}:${actor.id ?? '-'}`;

async function requirePaymentOutcome(outcome: Promise<PaymentOutcome>, operation: string): Promise<void> {
  const result = await outcome;
  if (!result.ok) throw paymentProviderFailed(operation, result.error);
}

/**
 * Carries out what the state machine asked for. Stock moves first (database only, and they
 * can still refuse); the provider call comes last, just before the new state is saved, so a
 * refusal by the provider rolls everything back and a success is followed only by writes.
 */
async function carryOut(
  tx: Executor,
  locked: LockedOrder,
  effects: OrderEffect[],
  actor: Actor,
): Promise<void> {
  const { order } = locked;
  const stockFirst = [...effects].sort(
    (a, b) => Number(a.type.endsWith('_payment')) - Number(b.type.endsWith('_payment')),
  );
  for (const effect of stockFirst) {
    switch (effect.type) {
      case 'release_reservations':
        await releaseReservations(tx, { cartId: order.cart_id });
        break;
      case 'restock':
        await restockLines(tx, locked, effect.lines, actor);
        break;
      case 'capture_payment':
      case 'void_payment':
      case 'refund_payment': {
        const payment = await paymentOfOrder(tx, order.id, true);
        if (!payment) throw paymentProviderFailed(effect.type, 'the order has no payment');
        if (effect.type === 'capture_payment') {
          await requirePaymentOutcome(capturePayment(tx, payment, effect.amount), 'capture');
        } else if (effect.type === 'refund_payment') {
          await requirePaymentOutcome(refundPayment(tx, payment, effect.amount), 'refund');
        } else {
          await requirePaymentOutcome(voidPayment(tx, payment), 'void');
        }
      }
    }
  }
}

/**
 * Puts units back on the shelf, only for variants whose stock the order actually took
 * (untracked variants are sold without limit and have nothing to give back), and never more
 * than was taken.
 */
async function restockLines(tx: Executor, locked: LockedOrder, lines: readonly LineQuantity[], actor: Actor) {
  const taken = new Map<string, number>();
  for (const entry of locked.order.committed_stock) {
    taken.set(entry.variantId, (taken.get(entry.variantId) ?? 0) + entry.quantity);
  }
  const back: Array<{ variantId: string; quantity: number }> = [];
  for (const { lineId, quantity } of lines) {
    const line = locked.lines.find((candidate) => candidate.id === lineId);
    const available = line ? (taken.get(line.variant_id) ?? 0) : 0;
    const units = Math.min(quantity, available);
    if (!line || units === 0) continue;
    taken.set(line.variant_id, available - units);
    back.push({ variantId: line.variant_id, quantity: units });
  }
  if (back.length === 0) return;
  await restock(tx, {
    lines: back,
    orderId: locked.order.id,
    channelId: locked.order.channel_id,
    actor: actorLabel(actor),
  });
}

async function act(
  db: Executor,
  orderId: string,
  action: OrderAction | ((locked: LockedOrder) => OrderAction),
  options: ActOptions,
): Promise<OrderRow> {
  return inTransaction(db, async (tx) => {
    const locked = await lockOrder(tx, orderId);
    const result = decide(locked, typeof action === 'function' ? action(locked) : action);
    const effects = result.effects.filter((effect) => !options.skipEffects?.includes(effect.type));
    await carryOut(tx, locked, effects, options.actor);
    const order = await saveTransition(tx, locked, result, {
      actor: options.actor,
      action: options.name,
      data: options.data,
      cancelReason: options.cancelReason,
    });
    await options.record?.(tx, order);
    if (options.event) {
      await emitEvent(tx, {
        type: options.event,
        resourceType: 'order',
        resourceId: order.id,
        channelId: order.channel_id,
        customerId: order.customer_id,
        data: presentOrderSummary(order),
      });
    }
    return order;
  });
}

/** Captures the authorisation: all of it by default, or less (the rest is released). */
export function captureOrder(db: Executor, orderId: string, input: { amount?: number }, actor: Actor) {
  return act(
    db,
    orderId,
    (locked) => ({ type: 'capture', amount: input.amount ?? locked.order.authorised_amount }),
    {
      actor,
      name: 'capture',
      data: { amount: input.amount ?? null },
      event: 'order.paid',
    },
  );
}

export function refundOrder(
  db: Executor,
  orderId: string,
  input: { amount: number; reason?: string },
  actor: Actor,
) {
  return act(
    db,
    orderId,
    { type: 'refund', amount: input.amount },
    {
      actor,
      name: 'refund',
      data: { amount: input.amount, reason: input.reason ?? null },
      event: 'order.refunded',
    },
  );
}

export function cancelOrder(db: Executor, orderId: string, input: { reason?: string }, actor: Actor) {
  return act(
    db,
    orderId,
    { type: 'cancel' },
    {
      actor,
      name: 'cancel',
      data: { reason: input.reason ?? null },
      cancelReason: input.reason ?? 'cancelled by the merchant',
      event: 'order.cancelled',
    },
  );
}

export interface FulfilInput {
  lines: Array<{ line_id: string; quantity: number }>;
  carrier?: string;
  tracking_number?: string;
  tracking_url?: string;
}

const toLineQuantities = (lines: FulfilInput['lines']): LineQuantity[] =>
  lines.map((line) => ({ lineId: line.line_id, quantity: line.quantity }));

export function fulfilOrder(db: Executor, orderId: string, input: FulfilInput, actor: Actor) {
  const lines = toLineQuantities(input.lines);
  const fulfilmentId = newId('ful');
  return act(
    db,
    orderId,
    { type: 'fulfil', lines },
    {
      actor,
      name: 'fulfil',
      data: {
        fulfilment_id: fulfilmentId,
        lines: input.lines,
        tracking_number: input.tracking_number ?? null,
      },
      event: 'order.fulfilled',
      record: async (tx) => {
        await tx
          .insertInto('order_fulfilments')
          .values({
            id: fulfilmentId,
            order_id: orderId,
            lines: JSON.stringify(lines) as never,
            carrier: input.carrier ?? null,
            tracking_number: input.tracking_number ?? null,
            tracking_url: input.tracking_url ?? null,
          })
          .execute();
      },
    },
  );
}

export function deliverOrder(db: Executor, orderId: string, actor: Actor) {
  return act(db, orderId, { type: 'deliver' }, { actor, name: 'deliver' });
}

export interface ReturnInput {
  lines: Array<{ line_id: string; quantity: number }>;
  restock?: boolean;
  refund_amount?: number;
  reason?: string;
}

/**
 * Records returned units and, by default, puts them back on the shelf; with `refund_amount`
 * the money goes back in the same transaction (both or neither).
 */
export async function returnOrder(db: Executor, orderId: string, input: ReturnInput, actor: Actor) {
  const lines = toLineQuantities(input.lines);
  const shouldRestock = input.restock ?? true;
  const returnId = newId('ret');
  return inTransaction(db, async (tx) => {
    const returned = await act(
      tx,
      orderId,
      { type: 'return', lines },
      {
        skipEffects: shouldRestock ? [] : ['restock'],
        actor,
        name: 'return',
        data: { return_id: returnId, lines: input.lines, restock: shouldRestock },
        record: async (inner) => {
          await inner
            .insertInto('order_returns')
            .values({
              id: returnId,
              order_id: orderId,
              lines: JSON.stringify(lines) as never,
              restocked: shouldRestock,
              refund_amount: input.refund_amount ?? 0,
              reason: input.reason ?? null,
            })
            .execute();
        },
      },
    );
    if (!input.refund_amount) return returned;
    return refundOrder(tx, orderId, { amount: input.refund_amount, reason: input.reason ?? 'return' }, actor);
  });
}
