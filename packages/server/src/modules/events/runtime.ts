import type { FastifyInstance } from 'fastify';
import { EventBus } from './bus.js';
import { listenForEvents } from './listener.js';
import { DeliveryQueue, type DeliveryTarget } from './queue.js';
import { subscriberTarget } from './subscribers.js';

export interface EventRuntime {
  bus: EventBus;
  queue: DeliveryQueue;
  /** Open live streams: closed before the server stops, or it would wait on them forever. */
  streams: Set<() => void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    eventRuntime: EventRuntime;
  }
}

/**
 * Starts this node's event machinery with the app: the bus (LISTEN wake-ups + outbox
 * reads) that feeds live streams, and the delivery worker for webhooks and `onEvent`
 * subscribers. `targets` are the extra delivery kinds (webhooks) besides subscribers.
 */
export function registerEventRuntime(app: FastifyInstance, targets: DeliveryTarget[]): void {
  const { config, database, db } = app.merx;
  const onError = (error: unknown) =>
    app.log.error({ err: error }, 'event bus failed; retrying on the next wake-up');
  let queue: DeliveryQueue | null = null;
  const bus = new EventBus(db, {
    pollMs: config.eventPollMs,
    minIntervalMs: config.eventBatchMs,
    onError,
    onAdvance: (position) => {
      app.metrics.busPosition.set(position);
      queue?.wake();
    },
  });
  queue = new DeliveryQueue(
    db,
    () => bus.position,
    [subscriberTarget(db), ...targets],
    {
      maxAttempts: config.deliveryMaxAttempts,
      backoffMs: config.deliveryBackoffMs,
      leaseMs: config.webhookTimeoutMs * 2 + 1000,
      pollMs: config.eventPollMs,
    },
    app.metrics,
    app.log,
  );
  const runtime: EventRuntime = { bus, queue, streams: new Set() };
  app.decorate('eventRuntime', runtime);

  let stopListening: (() => Promise<void>) | null = null;
  app.addHook('onReady', async () => {
    await bus.start();
    stopListening = await listenForEvents(database, () => bus.wake(), app.log);
    await runtime.queue.start();
  });
  app.addHook('preClose', async () => {
    for (const close of [...runtime.streams]) close();
  });
  app.addHook('onClose', async () => {
    // Consumers first: a subscriber's transaction in flight finishes (or is abandoned to its
    // lease) before the wake-up source goes; on PGlite, UNLISTEN during an open transaction
    // of the same database can wedge both.
    await runtime.queue.stop();
    await bus.stop();
    await stopListening?.();
  });
}
