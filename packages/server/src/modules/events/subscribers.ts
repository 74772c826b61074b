import type { Db } from '../../db/database.js';
import type { EventType } from './outbox.js';
import type { DeliveryTarget } from './queue.js';
import type { DeliveryRow, EventRow } from './tables.js';

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

export type EventBatchHandler<T extends string> = (
  events: MerxEvent<T>[],
  context: SubscriberContext,
) => Promise<void> | void;

interface Registration {
  types: ReadonlySet<string>;
  handler: EventBatchHandler<string>;
  maxBatch: number;
}

const registry = new Map<string, Registration>();
const NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const DEFAULT_MAX_BATCH = 100;

function register(
  types: string | readonly string[],
  registration: Omit<Registration, 'types'>,
  name: string,
) {
  if (!NAME.test(name)) throw new Error(`Subscriber name "${name}" must match ${NAME}`);
  if (registry.has(name)) throw new Error(`A subscriber named "${name}" already exists`);
  const list: readonly string[] = typeof types === 'string' ? [types] : types;
  registry.set(name, { types: new Set(list), ...registration });
  return () => {
    registry.delete(name);
  };
}

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
  const single = handler as EventHandler<string>;
  return register(
    types,
    { handler: ([event], context) => single(event, context), maxBatch: 1 },
    options.name,
  );
}

/**
 * Like `onEvent`, for a subscriber that does its work cheaper for many events at once (one
 * transaction instead of one each): `handler` receives the events that are due together, up
 * to `maxBatch`, in seq order. A call succeeds or fails as a whole: when it throws, each of
 * its events is retried, on its own, with back-off (so one event that always fails cannot
 * take its neighbours to the dead letters). Same guarantees otherwise: at least once, after
 * commit; the handler must be idempotent per event.
 *
 * ```ts
 * onEvents('order.placed', (events, { db }) => countOrders(db, events.map((e) => e.resourceId)), {
 *   name: 'order-counter',
 * });
 * ```
 */
export function onEvents<T extends EventType>(
  types: T | readonly T[],
  handler: EventBatchHandler<T>,
  options: { name: string; maxBatch?: number },
): () => void {
  const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new Error('maxBatch must be a positive integer');
  return register(types, { handler: handler as EventBatchHandler<string>, maxBatch }, options.name);
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

/** The delivery target behind `onEvent` and `onEvents`: consumers are named `subscriber:<name>`. */
export function subscriberTarget(db: Db): DeliveryTarget {
  const registered = (name: string) => {
    const registration = registry.get(name);
    if (!registration) throw new Error(`No subscriber "${name}" is registered on this node`);
    return registration;
  };
  const run = async (name: string, batch: ReadonlyArray<{ event: EventRow; delivery: DeliveryRow }>) => {
    const { handler } = registered(name);
    const started = performance.now();
    const attempt = Math.max(...batch.map(({ delivery }) => delivery.attempts));
    await handler(
      batch.map(({ event }) => toMerxEvent(event)),
      { db, attempt },
    );
    return { ok: true, statusCode: null, error: null, durationMs: performance.now() - started };
  };
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
    deliver: (name, event, delivery) => run(name, [{ event, delivery }]),
    maxBatch: (name) => registry.get(name)?.maxBatch ?? 1,
    deliverBatch: run,
  };
}
