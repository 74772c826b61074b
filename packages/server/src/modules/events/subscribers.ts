import type { Db } from '../../db/database.js';
import type { EventType } from './outbox.js';
import type { DeliveryTarget } from './queue.js';
import type { EventRow } from './tables.js';

/**
 * Event payload types by event type. Modules declare theirs by augmentation, like tables:
 * `declare module '../events/subscribers.js' { interface EventDataMap { 'order.placed': OrderView } }`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: augmented by modules
export interface EventDataMap {}

export type EventData<T extends string> = T extends keyof EventDataMap ? EventDataMap[T] : unknown;

export interface MerxEvent<T extends string = string> {
  id: string;
  seq: number;
  type: T;
  resourceType: string;
  resourceId: string;
  channelId: string | null;
  customerId: string | null;
  data: EventData<T>;
  createdAt: Date;
}

export interface SubscriberContext {
  db: Db;
  /** 1 on the first try; a handler sees the same event again after it threw. */
  attempt: number;
}

export type EventHandler<T extends string> = (
  event: MerxEvent<T>,
  context: SubscriberContext,
) => Promise<void> | void;

interface Registration {
  types: ReadonlySet<string>;
  handler: EventHandler<string>;
}

const registry = new Map<string, Registration>();
const NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/**
 * Runs `handler` for every committed event of the given types, from the same durable queue
 * as webhooks: at least once (a handler that throws is retried with back-off and finally
 * dead-lettered), after the change committed, on whichever node claims it. `name` is the
 * subscriber's durable identity (its deliveries are stored under it): keep it stable.
 * Handlers must be idempotent; `event.id` is a natural dedupe key.
 *
 * ```ts
 * onEvent('order.placed', sendOrderConfirmation, { name: 'order-confirmation-mail' });
 * ```
 */
export function onEvent<T extends EventType>(
  types: T | readonly T[],
  handler: EventHandler<T>,
  options: { name: string },
): () => void {
  if (!NAME.test(options.name)) throw new Error(`Subscriber name "${options.name}" must match ${NAME}`);
  if (registry.has(options.name)) throw new Error(`A subscriber named "${options.name}" already exists`);
  const list: readonly string[] = typeof types === 'string' ? [types] : types;
  registry.set(options.name, { types: new Set(list), handler: handler as EventHandler<string> });
  return () => registry.delete(options.name);
}

export function toMerxEvent(row: EventRow): MerxEvent {
  return {
    id: row.id,
    seq: row.seq,
    type: row.type,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    channelId: row.channel_id,
    customerId: row.customer_id,
    data: row.data,
    createdAt: row.created_at,
  };
}

/** The delivery target behind `onEvent`: consumers are named `subscriber:<name>`. */
export function subscriberTarget(db: Db): DeliveryTarget {
  return {
    kind: 'subscriber',
    async route(_tx, events) {
      const routed = [];
      for (const event of events) {
        for (const [name, registration] of registry) {
          if (registration.types.has(event.type)) routed.push({ key: name, event });
        }
      }
      return routed;
    },
    async deliver(name, event, delivery) {
      const registration = registry.get(name);
      if (!registration) throw new Error(`No subscriber "${name}" is registered on this node`);
      const started = performance.now();
      await registration.handler(toMerxEvent(event), { db, attempt: delivery.attempts });
      return { ok: true, statusCode: null, error: null, durationMs: performance.now() - started };
    },
  };
}
