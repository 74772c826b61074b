import type { QueryCreator } from 'kysely';
import type { Database, Executor } from '../../db/database.js';
import { newId } from '../../lib/ids.js';
import type { EventRow } from './tables.js';

export const EVENT_TYPES = [
  'cart.created',
  'cart.updated',
  'cart.completed',
  'order.placed',
  'order.paid',
  'order.fulfilled',
  'order.cancelled',
  'order.refunded',
  'product.created',
  'product.updated',
  'product.deleted',
  'price.updated',
  'inventory.changed',
  'inventory.low',
  'customer.created',
] as const;

export type EventType = (typeof EVENT_TYPES)[number] | (string & {});

export interface NewEvent {
  type: EventType;
  resourceType: string;
  resourceId: string;
  channelId?: string | null;
  customerId?: string | null;
  /** The resource's new state (or a reference to it when the state is large). */
  data: unknown;
}

/** NOTIFY channel that wakes every API node when an event commits. */
export const EVENTS_NOTIFY_CHANNEL = 'merx_events';

/**
 * Writes an event into the outbox. Call it with the same transaction that makes the
 * change: the event exists if and only if the change committed. The insert trigger sends
 * the NOTIFY (0703_event_notify_in_trigger.sql), which PostgreSQL delivers only at commit,
 * so listeners never see an event whose change rolled back.
 */
export async function emitEvent(
  tx: Executor,
  event: NewEvent,
  alongside?: QueryCreator<Database>,
): Promise<EventRow> {
  const [row] = await emitEvents(tx, [event], alongside);
  return row as EventRow;
}

/**
 * Writes several events in one multi-row INSERT, in the order given: the seq trigger fires
 * row by row in VALUES order, so their seqs ascend as the array does. Returns them in that order.
 * `alongside`: the transaction's query creator carrying the change itself as data-modifying
 * CTEs (`tx.with(…)`), so change and event go in one statement.
 */
export async function emitEvents(
  tx: Executor,
  events: readonly NewEvent[],
  alongside?: QueryCreator<Database>,
): Promise<EventRow[]> {
  if (events.length === 0) return [];
  const ids = events.map(() => newId('evt'));
  const rows = await (alongside ?? tx)
    .insertInto('events')
    .values(
      events.map((event, i) => ({
        id: ids[i] as string,
        type: event.type,
        resource_type: event.resourceType,
        resource_id: event.resourceId,
        channel_id: event.channelId ?? null,
        customer_id: event.customerId ?? null,
        data: JSON.stringify(event.data) as never,
      })),
    )
    // Not the data: the caller has it, and a whole cart need not travel back and be parsed.
    .returning([
      'seq',
      'id',
      'type',
      'resource_type',
      'resource_id',
      'channel_id',
      'customer_id',
      'xid',
      'created_at',
    ])
    .execute();
  // RETURNING promises no order; the IDs put the rows back in the caller's.
  const byId = new Map(rows.map((row) => [row.id, row]));
  return events.map((event, i) => {
    const row = byId.get(ids[i] as string);
    if (!row) throw new Error(`Event ${ids[i]} was not returned by its INSERT`);
    return { ...row, data: event.data };
  });
}
