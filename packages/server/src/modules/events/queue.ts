import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import type { MerxMetrics } from '../../http/metrics.js';
import { newId } from '../../lib/ids.js';
import { retryDelayMs } from './backoff.js';
import { readEvents } from './horizon.js';
import type { DeliveryRow, EventRow } from './tables.js';

export interface DeliveryOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * A kind of event consumer (webhook endpoints, in-process subscribers). `route` picks the
 * consumers of a batch of events; `deliver` hands one event to one consumer.
 */
export interface DeliveryTarget {
  kind: string;
  route(db: Executor, events: EventRow[]): Promise<Array<{ key: string; event: EventRow }>>;
  deliver(key: string, event: EventRow, delivery: DeliveryRow): Promise<DeliveryOutcome>;
}

export interface QueueOptions {
  maxAttempts: number;
  backoffMs: number;
  /** How long a claimed delivery is reserved; a worker that dies frees it after this. */
  leaseMs: number;
  pollMs: number;
  batchSize?: number;
  random?: () => number;
}

export const ROUTER = 'router';
const ROUTE_BATCH = 500;

/** Fans committed events (up to the safe horizon) out into delivery rows, exactly once. */
export async function routeEvents(db: Db, horizon: number, targets: DeliveryTarget[]): Promise<number> {
  return inTransaction(db, async (tx) => {
    // SKIP LOCKED: when another node is routing right now, let it.
    const cursor = await tx
      .selectFrom('event_consumers')
      .select('last_seq')
      .where('name', '=', ROUTER)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!cursor) return 0;
    const events = await readEvents(tx, cursor.last_seq, horizon, ROUTE_BATCH);
    if (events.length === 0) return 0;
    const rows = [];
    for (const target of targets) {
      for (const { key, event } of await target.route(tx, events)) {
        rows.push({
          id: newId('edl'),
          consumer: `${target.kind}:${key}`,
          event_seq: event.seq,
          event_id: event.id,
          event_type: event.type,
        });
      }
    }
    for (let i = 0; i < rows.length; i += 1000) {
      await tx
        .insertInto('event_deliveries')
        .values(rows.slice(i, i + 1000))
        .onConflict((conflict) => conflict.columns(['consumer', 'event_id']).doNothing())
        .execute();
    }
    await tx
      .updateTable('event_consumers')
      .set({ last_seq: events[events.length - 1].seq, updated_at: new Date() })
      .where('name', '=', ROUTER)
      .execute();
    return events.length;
  });
}

/** Reserves due deliveries for this worker (a lease, so no transaction stays open during I/O). */
export async function claimDueDeliveries(db: Db, limit: number, leaseMs: number): Promise<DeliveryRow[]> {
  const claimed = await sql<DeliveryRow>`
    UPDATE event_deliveries d
    SET attempts = d.attempts + 1,
        next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000}),
        updated_at = now()
    FROM (
      SELECT id FROM event_deliveries
      WHERE status = 'pending' AND next_attempt_at <= now()
      ORDER BY next_attempt_at, event_seq
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ) due
    WHERE d.id = due.id
    RETURNING d.*`.execute(db);
  return claimed.rows.sort((a, b) => a.event_seq - b.event_seq);
}

/** Logs the attempt and settles the delivery: done, retry later, or dead-lettered. */
export async function recordAttempt(
  db: Db,
  delivery: DeliveryRow,
  outcome: DeliveryOutcome,
  options: Pick<QueueOptions, 'maxAttempts' | 'backoffMs' | 'random'>,
): Promise<'succeeded' | 'failed' | 'dead'> {
  const verdict = outcome.ok ? 'succeeded' : delivery.attempts >= options.maxAttempts ? 'dead' : 'failed';
  const retryInMs =
    verdict === 'failed' ? retryDelayMs(delivery.attempts, options.backoffMs, options.random) : 0;
  await inTransaction(db, async (tx) => {
    // The delivery may have been deleted meanwhile (its endpoint was): then there is nothing to log.
    await sql`INSERT INTO event_delivery_attempts (delivery_id, attempt, status_code, duration_ms, error)
      SELECT id, ${delivery.attempts}, ${outcome.statusCode}, ${Math.round(outcome.durationMs)},
        ${outcome.error?.slice(0, 1000) ?? null}
      FROM event_deliveries WHERE id = ${delivery.id}`.execute(tx);
    await tx
      .updateTable('event_deliveries')
      .set({
        status: verdict === 'failed' ? 'pending' : verdict,
        next_attempt_at: sql<Date>`now() + make_interval(secs => ${retryInMs / 1000})`,
        last_status_code: outcome.statusCode,
        last_error: outcome.error?.slice(0, 1000) ?? null,
        last_duration_ms: Math.round(outcome.durationMs),
        updated_at: new Date(),
      })
      // A lease that ran out was re-claimed by another worker: its attempt owns the row now.
      .where('id', '=', delivery.id)
      .where('attempts', '=', delivery.attempts)
      .execute();
  });
  return verdict;
}

export interface QueueLog {
  error(details: object, message: string): void;
}

/**
 * The delivery worker of one node: routes new events into deliveries, then claims due
 * deliveries and runs them. Several nodes run one each; SKIP LOCKED keeps them apart, and
 * a delivery is retried until it succeeds or is dead-lettered: at least once, never lost.
 */
export class DeliveryQueue {
  private readonly targets = new Map<string, DeliveryTarget>();
  private running = false;
  private again = false;
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private idle: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly horizon: () => number,
    targets: DeliveryTarget[],
    private readonly options: QueueOptions,
    private readonly metrics: MerxMetrics,
    private readonly log: QueueLog,
  ) {
    for (const target of targets) this.targets.set(target.kind, target);
  }

  async start(): Promise<void> {
    // First start on a database: route from here on (older events predate every consumer).
    await this.db
      .insertInto('event_consumers')
      .values({ name: ROUTER, last_seq: this.horizon() })
      .onConflict((conflict) => conflict.column('name').doNothing())
      .execute();
    this.stopped = false;
    this.wake();
  }

  /**
   * Waits for the batch in hand, but not for ever: a handler stuck on a slow dependency must
   * not stop the node from shutting down. Its delivery's lease runs out and the delivery is
   * retried (here after a restart, or by another node): at least once, nothing lost.
   */
  async stop(graceMs = 5_000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([
      this.idle,
      new Promise<void>((resolve) => {
        grace = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(grace);
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    if (this.timer) clearTimeout(this.timer);
    this.idle = (async () => {
      await this.work();
      if (!this.stopped && !this.again) await this.scheduleNext();
    })().finally(() => {
      this.running = false;
      if (this.again) this.wake();
    });
  }

  private async work(): Promise<void> {
    try {
      do {
        this.again = false;
        while ((await routeEvents(this.db, this.horizon(), [...this.targets.values()])) > 0) {}
        const batch = this.options.batchSize ?? 16;
        let claimed: DeliveryRow[];
        do {
          claimed = await claimDueDeliveries(this.db, batch, this.options.leaseMs);
          await this.deliverAll(claimed);
        } while (claimed.length === batch && !this.stopped);
      } while (this.again && !this.stopped);
    } catch (error) {
      this.log.error({ err: error }, 'event delivery worker failed; retrying on the next tick');
    }
  }

  private async deliverAll(deliveries: DeliveryRow[]): Promise<void> {
    if (deliveries.length === 0) return;
    const events = await this.db
      .selectFrom('events')
      .selectAll()
      .where(
        'seq',
        'in',
        deliveries.map((delivery) => delivery.event_seq),
      )
      .execute();
    const bySeq = new Map(events.map((event) => [event.seq, event]));
    await Promise.all(
      deliveries.map(async (delivery) => {
        const separator = delivery.consumer.indexOf(':');
        const kind = delivery.consumer.slice(0, separator);
        const target = this.targets.get(kind);
        const event = bySeq.get(delivery.event_seq);
        const outcome: DeliveryOutcome =
          target && event
            ? await target
                .deliver(delivery.consumer.slice(separator + 1), event, delivery)
                .catch((error: unknown) => ({
                  ok: false,
                  statusCode: null,
                  error: error instanceof Error ? error.message : String(error),
                  durationMs: 0,
                }))
            : {
                ok: false,
                statusCode: null,
                error: event ? `No ${kind} consumer on this node` : 'The event no longer exists',
                durationMs: 0,
              };
        const verdict = await recordAttempt(this.db, delivery, outcome, this.options);
        this.metrics.deliveryAttempts.inc({ kind, outcome: verdict });
      }),
    );
  }

  /** Sleep until the earliest retry falls due (or the fallback poll). */
  private async scheduleNext(): Promise<void> {
    let delay = this.options.pollMs;
    try {
      const row = await this.db
        .selectFrom('event_deliveries')
        .select(sql<string | null>`extract(epoch from min(next_attempt_at) - now()) * 1000`.as('due_in_ms'))
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (row?.due_in_ms != null) delay = Math.max(5, Math.min(delay, Number(row.due_in_ms)));
    } catch (error) {
      this.log.error({ err: error }, 'event delivery worker could not schedule its next run');
    }
    if (this.stopped) return;
    this.timer = setTimeout(() => this.wake(), delay);
    this.timer.unref();
  }
}
