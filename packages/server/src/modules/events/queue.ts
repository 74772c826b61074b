import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.js';
import { literal, unplannedUnnest } from '../../db/plan-stable.js';
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

export interface DueEvent {
  event: EventRow;
  delivery: DeliveryRow;
}

/**
 * A kind of event consumer (webhook endpoints, in-process subscribers). `route` picks the
 * consumers of a batch of events; `deliver` hands one event to one consumer. A kind whose
 * consumers can take several events in one call also has `deliverBatch` (events in seq
 * order, one outcome for all of them) and says per consumer how many at most (`maxBatch`).
 */
export interface DeliveryTarget {
  kind: string;
  route(db: Executor, events: EventRow[]): Promise<Array<{ key: string; event: EventRow }>>;
  deliver(key: string, event: EventRow, delivery: DeliveryRow): Promise<DeliveryOutcome>;
  maxBatch?(key: string): number;
  deliverBatch?(key: string, batch: DueEvent[]): Promise<DeliveryOutcome>;
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

export type Verdict = 'succeeded' | 'failed' | 'dead';

export interface Attempted {
  delivery: DeliveryRow;
  outcome: DeliveryOutcome;
}

/**
 * Splits claimed deliveries (in seq order) into calls: the first attempts of a consumer that
 * takes batches go together, up to its limit; everything else goes alone. Retries go alone so
 * that an event that always fails is on its own after its first failure and cannot take the
 * events it was batched with to the dead letters.
 */
export function deliveryCalls<T extends Pick<DeliveryRow, 'consumer' | 'attempts'>>(
  deliveries: readonly T[],
  maxBatchOf: (consumer: string) => number,
): T[][] {
  const calls: T[][] = [];
  const filling = new Map<string, T[]>();
  for (const delivery of deliveries) {
    const limit = delivery.attempts > 1 ? 1 : maxBatchOf(delivery.consumer);
    let call = filling.get(delivery.consumer);
    if (limit <= 1 || !call || call.length >= limit) {
      call = [];
      calls.push(call);
      if (limit > 1) filling.set(delivery.consumer, call);
    }
    call.push(delivery);
  }
  return calls;
}

/**
 * Logs the attempts and settles their deliveries (done, retry later, or dead-lettered) in one
 * statement for the whole lot.
 */
export async function recordAttempts(
  db: Executor,
  attempted: readonly Attempted[],
  options: Pick<QueueOptions, 'maxAttempts' | 'backoffMs' | 'random'>,
): Promise<Verdict[]> {
  const verdicts = attempted.map(
    ({ delivery, outcome }): Verdict =>
      outcome.ok ? 'succeeded' : delivery.attempts >= options.maxAttempts ? 'dead' : 'failed',
  );
  if (attempted.length === 0) return verdicts;
  const column = <V>(pick: (attempt: Attempted, verdict: Verdict) => V) =>
    attempted.map((attempt, i) => pick(attempt, verdicts[i]));
  // A delivery deleted meanwhile (its endpoint was) is missing from the join: nothing to log.
  // A lease that ran out was re-claimed by another worker: its attempt owns the row now, so
  // the row is settled only while `attempts` is still this attempt's.
  await sql`WITH outcome AS (
      SELECT * FROM ${unplannedUnnest([
        [column(({ delivery }) => delivery.id), 'text'],
        [column(({ delivery }) => delivery.attempts), 'int'],
        [column((_, verdict) => (verdict === 'failed' ? 'pending' : verdict)), 'text'],
        [
          column(({ delivery }, verdict) =>
            verdict === 'failed'
              ? retryDelayMs(delivery.attempts, options.backoffMs, options.random) / 1000
              : 0,
          ),
          'float8',
        ],
        [column(({ outcome }) => outcome.statusCode), 'int'],
        [column(({ outcome }) => Math.round(outcome.durationMs)), 'int'],
        [column(({ outcome }) => outcome.error?.slice(0, 1000) ?? null), 'text'],
      ])} AS t(id, attempt, status, retry_secs, status_code, duration_ms, error)
    ), logged AS (
      INSERT INTO event_delivery_attempts (delivery_id, attempt, status_code, duration_ms, error)
      SELECT d.id, o.attempt, o.status_code, o.duration_ms, o.error
      FROM outcome o JOIN event_deliveries d ON d.id = o.id
    )
    UPDATE event_deliveries d
    SET status = o.status,
        next_attempt_at = now() + make_interval(secs => o.retry_secs),
        last_status_code = o.status_code,
        last_error = o.error,
        last_duration_ms = o.duration_ms,
        updated_at = now()
    FROM outcome o
    WHERE d.id = o.id AND d.attempts = o.attempt`.execute(db);
  return verdicts;
}

function failure(error: string): DeliveryOutcome {
  return { ok: false, statusCode: null, error, durationMs: 0 };
}

function parseConsumer(consumer: string): { kind: string; key: string } {
  const separator = consumer.indexOf(':');
  return { kind: consumer.slice(0, separator), key: consumer.slice(separator + 1) };
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
    const attempted: Attempted[] = [];
    const deliverable: DeliveryRow[] = [];
    for (const delivery of deliveries) {
      const { kind } = parseConsumer(delivery.consumer);
      if (!bySeq.has(delivery.event_seq))
        attempted.push({ delivery, outcome: failure('The event no longer exists') });
      else if (!this.targets.has(kind))
        attempted.push({ delivery, outcome: failure(`No ${kind} consumer on this node`) });
      else deliverable.push(delivery);
    }
    const calls = deliveryCalls(deliverable, (consumer) => {
      const { kind, key } = parseConsumer(consumer);
      const target = this.targets.get(kind)!;
      return target.deliverBatch ? (target.maxBatch?.(key) ?? 1) : 1;
    });
    await Promise.all(
      calls.map(async (call) => {
        const { kind, key } = parseConsumer(call[0].consumer);
        const target = this.targets.get(kind)!;
        const batch = call.map((delivery) => ({ event: bySeq.get(delivery.event_seq)!, delivery }));
        const outcome = await (batch.length > 1 && target.deliverBatch
          ? target.deliverBatch(key, batch)
          : target.deliver(key, batch[0].event, batch[0].delivery)
        ).catch((error: unknown) => failure(error instanceof Error ? error.message : String(error)));
        for (const delivery of call) attempted.push({ delivery, outcome });
      }),
    );
    const verdicts = await recordAttempts(this.db, attempted, this.options);
    for (const [i, { delivery }] of attempted.entries())
      this.metrics.deliveryAttempts.inc({
        kind: parseConsumer(delivery.consumer).kind,
        outcome: verdicts[i],
      });
  }

  /** Sleep until the earliest retry falls due (or the fallback poll). */
  private async scheduleNext(): Promise<void> {
    let delay = this.options.pollMs;
    try {
      const row = await this.db
        .selectFrom('event_deliveries')
        .select(sql<string | null>`extract(epoch from min(next_attempt_at) - now()) * 1000`.as('due_in_ms'))
        .where('status', '=', literal('pending'))
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
