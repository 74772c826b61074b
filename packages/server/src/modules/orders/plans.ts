import type { Executor } from '../../db/database.js';
import { emitEvent } from '../events/outbox.js';
import { releaseReservations } from '../inventory/reservations.js';
import { restock } from '../inventory/stock.js';
import { paymentOfOrder, recordFreeCapture } from '../payments/service.js';
import { type Actor, decide, type LockedOrder, lockOrder, saveTransition } from './lifecycle.js';
import { presentOrderSummary } from './service.js';
import type { LineQuantity, OrderAction, OrderEffect } from './state-machine.js';
import type { OrderRow } from './tables.js';

export interface FulfilInput {
  lines: Array<{ line_id: string; quantity: number }>;
  carrier?: string;
  tracking_number?: string;
  tracking_url?: string;
}

export interface ReturnInput {
  lines: Array<{ line_id: string; quantity: number }>;
  restock?: boolean;
  refund_amount?: number;
  reason?: string;
}

/**
 * What an admin asked of an order, as plain data: a payment operation stores it, so that a
 * process taking over after a crash can finish exactly the action that was started.
 */
export type OrderPlan =
  | { type: 'capture'; amount: number | null }
  | { type: 'refund'; amount: number; reason: string | null }
  | { type: 'cancel'; reason: string | null }
  | { type: 'fulfil'; fulfilmentId: string; input: FulfilInput }
  | { type: 'deliver' }
  | { type: 'return'; returnId: string; input: ReturnInput };

type OrderEvent = 'order.paid' | 'order.fulfilled' | 'order.cancelled' | 'order.refunded';

/** One transition of a plan (a return with a refund is two, applied together). */
export interface Step {
  action: (locked: LockedOrder) => OrderAction;
  name: string;
  data?: Record<string, unknown>;
  cancelReason?: string | null;
  event?: OrderEvent;
  /** Effects the caller chose to forgo (damaged returns are not restocked). */
  skipEffects?: ReadonlyArray<OrderEffect['type']>;
  /** Writes that belong with the action (a fulfilment or return row). */
  record?: (tx: Executor, order: OrderRow) => Promise<void>;
}

const toLineQuantities = (lines: FulfilInput['lines']): LineQuantity[] =>
  lines.map((line) => ({ lineId: line.line_id, quantity: line.quantity }));

const refundStep = (amount: number, reason: string | null): Step => ({
  action: () => ({ type: 'refund', amount }),
  name: 'refund',
  data: { amount, reason },
  event: 'order.refunded',
});

export function stepsOf(orderId: string, plan: OrderPlan): Step[] {
  switch (plan.type) {
    case 'capture':
      return [
        {
          action: (locked) => ({ type: 'capture', amount: plan.amount ?? locked.order.authorised_amount }),
          name: 'capture',
          data: { amount: plan.amount },
          event: 'order.paid',
        },
      ];
    case 'refund':
      return [refundStep(plan.amount, plan.reason)];
    case 'cancel':
      return [
        {
          action: () => ({ type: 'cancel' }),
          name: 'cancel',
          data: { reason: plan.reason },
          cancelReason: plan.reason ?? 'cancelled by the merchant',
          event: 'order.cancelled',
        },
      ];
    case 'deliver':
      return [{ action: () => ({ type: 'deliver' }), name: 'deliver' }];
    case 'fulfil':
      return [fulfilStep(orderId, plan.fulfilmentId, plan.input)];
    case 'return': {
      const steps = [returnStep(orderId, plan.returnId, plan.input)];
      if (plan.input.refund_amount) {
        steps.push(refundStep(plan.input.refund_amount, plan.input.reason ?? 'return'));
      }
      return steps;
    }
  }
}

function fulfilStep(orderId: string, fulfilmentId: string, input: FulfilInput): Step {
  const lines = toLineQuantities(input.lines);
  return {
    action: () => ({ type: 'fulfil', lines }),
    name: 'fulfil',
    data: { fulfilment_id: fulfilmentId, lines: input.lines, tracking_number: input.tracking_number ?? null },
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
  };
}

function returnStep(orderId: string, returnId: string, input: ReturnInput): Step {
  const lines = toLineQuantities(input.lines);
  const shouldRestock = input.restock ?? true;
  return {
    action: () => ({ type: 'return', lines }),
    skipEffects: shouldRestock ? [] : ['restock'],
    name: 'return',
    data: { return_id: returnId, lines: input.lines, restock: shouldRestock },
    record: async (tx) => {
      await tx
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
  };
}

const actorLabel = (actor: Actor) => `${actor.kind}:${actor.id ?? '-'}`;

export const isPaymentEffect = (effect: OrderEffect) => effect.type.endsWith('_payment');

/** A payment effect that needs the provider (capturing nothing does not). */
export const needsProvider = (effect: OrderEffect) =>
  isPaymentEffect(effect) && !(effect.type === 'capture_payment' && effect.amount === 0);

/**
 * Applies the steps in one transaction, each on the order as the previous one left it. The
 * provider was dealt with before (`paymentSettled`): only the free capture is written here.
 */
export async function applySteps(
  tx: Executor,
  orderId: string,
  steps: readonly Step[],
  actor: Actor,
  paymentSettled: boolean,
): Promise<OrderRow> {
  let order: OrderRow | null = null;
  for (const step of steps) {
    const locked = await lockOrder(tx, orderId);
    const result = decide(locked, step.action(locked));
    const effects = result.effects.filter((effect) => !step.skipEffects?.includes(effect.type));
    await carryOut(tx, locked, effects, actor, paymentSettled);
    order = await saveTransition(tx, locked, result, {
      actor,
      action: step.name,
      data: step.data,
      cancelReason: step.cancelReason,
    });
    await step.record?.(tx, order);
    if (step.event) await announce(tx, step.event, order);
  }
  if (!order) throw new Error('an order plan without steps');
  return order;
}

export async function announce(tx: Executor, event: OrderEvent, order: OrderRow): Promise<void> {
  await emitEvent(tx, {
    type: event,
    resourceType: 'order',
    resourceId: order.id,
    channelId: order.channel_id,
    customerId: order.customer_id,
    data: presentOrderSummary(order),
  });
}

async function carryOut(
  tx: Executor,
  locked: LockedOrder,
  effects: OrderEffect[],
  actor: Actor,
  paymentSettled: boolean,
): Promise<void> {
  for (const effect of effects) {
    switch (effect.type) {
      case 'release_reservations':
        await releaseReservations(tx, { cartId: locked.order.cart_id });
        break;
      case 'restock':
        await restockLines(tx, locked, effect.lines, actor);
        break;
      default: {
        if (paymentSettled) break;
        const payment = await paymentOfOrder(tx, locked.order.id, true);
        if (needsProvider(effect) || !payment) {
          // Provider calls never run inside a transaction (see actions.ts).
          throw new Error(`${effect.type} of order ${locked.order.id} reached a transaction unsettled`);
        }
        await recordFreeCapture(tx, payment);
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
