import type { Executor } from '../../db/database.js';
import { OutboxHorizon, readEvents } from './horizon.js';
import type { EventRow } from './tables.js';

export interface BusFilter {
  resourceId?: string;
  customerId?: string;
  /** Every event (admin tails); `types` narrows it. */
  all?: boolean;
  types?: readonly string[];
}

export interface BusSubscription {
  /** Events with seq ≤ this were dispatched before the subscription existed: replay them from the outbox. */
  readonly position: number;
  close(): void;
}

interface Subscriber {
  filter: BusFilter;
  onEvent: (event: EventRow) => void;
}

export interface BusOptions {
  /** Fallback poll: a lost wake-up costs at most this much latency. */
  pollMs: number;
  /** Re-check interval while a running transaction holds the horizon back. */
  settleMs?: number;
  /**
   * Least time between two outbox reads. Under write load every commit NOTIFYs; reading once
   * per commit costs three statements each (sequence, pg_locks, events). Waking at most this
   * often batches them, for at most this much extra push latency.
   */
  minIntervalMs?: number;
  batchSize?: number;
  onError?: (error: unknown) => void;
  /** Called after each batch is dispatched (the delivery queue wakes on it). */
  onAdvance?: (position: number) => void;
}

/**
 * One per API node: reads committed events from the outbox in seq order, never past the
 * safe horizon, and hands each to the in-memory subscribers interested in it (by resource
 * id, by customer id, or all). Wake-ups come from LISTEN/NOTIFY; a timer covers lost ones.
 */
export class EventBus {
  private readonly horizon: OutboxHorizon;
  private readonly byResource = new Map<string, Set<Subscriber>>();
  private readonly byCustomer = new Map<string, Set<Subscriber>>();
  private readonly firehose = new Set<Subscriber>();
  /** `all` subscribers narrowed to types, indexed by type (thousands of cart streams watch price/stock events). */
  private readonly byType = new Map<string, Set<Subscriber>>();
  private dispatched = 0;
  private pumping = false;
  private dirty = false;
  private stopped = true;
  private pollTimer: NodeJS.Timeout | null = null;
  private settleTimer: NodeJS.Timeout | null = null;
  private spacingTimer: NodeJS.Timeout | null = null;
  private lastPumpAt = 0;
  private idle: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Executor,
    private readonly options: BusOptions,
  ) {
    this.horizon = new OutboxHorizon(db);
  }

  /** Highest seq handed to subscribers so far. */
  get position(): number {
    return this.dispatched;
  }

  /**
   * The safe horizon right now, for readers outside the bus (event lists): waits briefly for
   * in-flight transactions, then settles for the bus's own position.
   */
  async horizonNow(): Promise<number> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const { settling, horizon } = await this.horizon.advance();
      if (!settling) return Math.max(horizon, this.dispatched);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return Math.max(this.horizon.value, this.dispatched);
  }

  /** Starts from the current horizon: history is for replay, not for the live bus. */
  async start(): Promise<void> {
    let { horizon, settling } = await this.horizon.advance();
    while (settling && horizon === 0) {
      await new Promise((resolve) => setTimeout(resolve, this.options.settleMs ?? 10));
      ({ horizon, settling } = await this.horizon.advance());
    }
    this.dispatched = horizon;
    this.stopped = false;
    this.pollTimer = setInterval(() => this.wake(), this.options.pollMs);
    this.pollTimer.unref();
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.settleTimer) clearTimeout(this.settleTimer);
    if (this.spacingTimer) clearTimeout(this.spacingTimer);
    await this.idle;
  }

  subscribe(filter: BusFilter, onEvent: (event: EventRow) => void): BusSubscription {
    const subscriber: Subscriber = { filter, onEvent };
    const indexes = this.indexesFor(filter);
    for (const [map, key] of indexes) {
      const set = map.get(key) ?? new Set<Subscriber>();
      map.set(key, set);
      set.add(subscriber);
    }
    if (indexes.length === 0) this.firehose.add(subscriber);
    return {
      position: this.dispatched,
      close: () => {
        this.firehose.delete(subscriber);
        for (const [map, key] of indexes) {
          const set = map.get(key);
          set?.delete(subscriber);
          if (set?.size === 0) map.delete(key);
        }
      },
    };
  }

  /** Something committed (NOTIFY) or the poll fired: read the outbox. Calls coalesce. */
  wake(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.dirty = true;
      return;
    }
    const wait = this.lastPumpAt + (this.options.minIntervalMs ?? 0) - performance.now();
    if (wait > 0) {
      this.spacingTimer ??= setTimeout(() => {
        this.spacingTimer = null;
        this.wake();
      }, wait);
      return;
    }
    this.lastPumpAt = performance.now();
    this.pumping = true;
    this.idle = this.pump().finally(() => {
      this.pumping = false;
      // Woken while reading: read again, spaced like any other wake-up.
      if (this.dirty) this.wake();
    });
  }

  private indexesFor(filter: BusFilter): Array<[Map<string, Set<Subscriber>>, string]> {
    if (filter.all) return (filter.types ?? []).map((type) => [this.byType, type]);
    if (filter.resourceId) return [[this.byResource, filter.resourceId]];
    if (filter.customerId) return [[this.byCustomer, filter.customerId]];
    throw new Error('A bus subscription needs a resource id, a customer id or `all`');
  }

  private async pump(): Promise<void> {
    const batchSize = this.options.batchSize ?? 500;
    try {
      this.dirty = false;
      const { horizon, settling } = await this.horizon.advance();
      for (;;) {
        const events = await readEvents(this.db, this.dispatched, horizon, batchSize);
        for (const event of events) this.dispatch(event);
        if (events.length > 0) this.options.onAdvance?.(this.dispatched);
        if (events.length < batchSize) break;
      }
      if (settling && !this.stopped && !this.settleTimer) {
        this.settleTimer = setTimeout(() => {
          this.settleTimer = null;
          this.wake();
        }, this.options.settleMs ?? 10);
      }
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  private dispatch(event: EventRow): void {
    this.dispatched = event.seq;
    const deliver = (subscriber: Subscriber) => {
      const types = subscriber.filter.types;
      if (types && !types.includes(event.type)) return;
      try {
        subscriber.onEvent(event);
      } catch (error) {
        this.options.onError?.(error);
      }
    };
    this.byResource.get(event.resource_id)?.forEach(deliver);
    if (event.customer_id) this.byCustomer.get(event.customer_id)?.forEach(deliver);
    this.byType.get(event.type)?.forEach(deliver);
    this.firehose.forEach(deliver);
  }
}
