import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { EventRow } from './tables.js';

/**
 * The safe horizon of the outbox: the highest `seq` below which no event can still appear.
 *
 * `seq` comes from a sequence, so it is handed out in insert order while transactions
 * commit in any order: T1 takes seq 7, T2 takes seq 8 and commits first. A reader that saw
 * 8 and moved its cursor past it would never see 7. Waiting a fixed "settle" time only makes
 * the miss rarer. Instead we use what PostgreSQL knows about running transactions:
 *
 * 1. read M, the last seq handed out so far;
 * 2. then take a snapshot and note its xmax (the first transaction id not yet assigned).
 *
 * Every event takes its transaction id before its seq (trigger in 0701_event_queue.sql),
 * so whoever holds a seq ≤ M has an xid < xmax. Once a later snapshot's xmin (the oldest
 * transaction still running) reaches that xmax, all of them have committed or rolled back:
 * every seq ≤ M is final and can be read in seq order without ever missing one.
 *
 * When nothing is writing, xmin = xmax in the same snapshot and the horizon is M at once;
 * under load it trails by the duration of the longest write transaction in flight (a session
 * left idle in a transaction stalls it: set `idle_in_transaction_session_timeout`).
 */
export class OutboxHorizon {
  private checkpoints: Array<{ seq: number; xmax: bigint }> = [];
  private safe = 0;

  constructor(private readonly db: Executor) {}

  /** The last horizon computed (every event with seq ≤ this is committed or never will be). */
  get value(): number {
    return this.safe;
  }

  /** Moves the horizon as far as provably safe; `settling` means more will be safe shortly. */
  async advance(): Promise<{ horizon: number; settling: boolean }> {
    const allocated = await sql<{ last_value: number; is_called: boolean }>`
      SELECT last_value, is_called FROM events_seq_seq`.execute(this.db);
    const { last_value, is_called } = allocated.rows[0];
    const lastSeq = is_called ? last_value : last_value - 1;
    // A separate, later statement: its snapshot is taken after M was read.
    const snapshot = await sql<{ xmin: string; xmax: string }>`
      SELECT pg_snapshot_xmin(s)::text AS xmin, pg_snapshot_xmax(s)::text AS xmax
      FROM pg_current_snapshot() AS s`.execute(this.db);
    const xmin = BigInt(snapshot.rows[0].xmin);
    const xmax = BigInt(snapshot.rows[0].xmax);
    this.remember(lastSeq, xmax);
    this.checkpoints = this.checkpoints.filter((checkpoint) => {
      if (checkpoint.xmax > xmin) return true;
      this.safe = Math.max(this.safe, checkpoint.seq);
      return false;
    });
    return { horizon: this.safe, settling: this.checkpoints.length > 0 };
  }

  private remember(seq: number, xmax: bigint): void {
    if (seq <= this.safe) return;
    const last = this.checkpoints[this.checkpoints.length - 1];
    // Same xmax: the later, larger M is covered by the same wait.
    if (last && last.xmax === xmax) {
      last.seq = Math.max(last.seq, seq);
      return;
    }
    this.checkpoints.push({ seq, xmax });
    // A long transaction holds everything back; coarser checkpoints are still correct.
    if (this.checkpoints.length > 64) this.checkpoints = this.checkpoints.filter((_, i) => i % 2 === 1);
  }
}

export interface EventFilter {
  resourceId?: string;
  customerId?: string;
  types?: readonly string[];
}

/** Events after `afterSeq` up to `upToSeq` (a horizon), in seq order. */
export async function readEvents(
  db: Executor,
  afterSeq: number,
  upToSeq: number,
  limit: number,
  filter: EventFilter = {},
): Promise<EventRow[]> {
  if (upToSeq <= afterSeq) return [];
  let query = db
    .selectFrom('events')
    .selectAll()
    .where('seq', '>', afterSeq)
    .where('seq', '<=', upToSeq)
    .orderBy('seq')
    .limit(limit);
  if (filter.resourceId) query = query.where('resource_id', '=', filter.resourceId);
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  if (filter.types?.length) query = query.where('type', 'in', filter.types);
  return query.execute();
}
