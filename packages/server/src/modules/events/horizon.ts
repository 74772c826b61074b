import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { EventRow } from './tables.js';

/** Advisory lock class held (shared) by every transaction that writes an event: see 0702_event_horizon_lock.sql. */
export const EVENT_WRITER_LOCK = 7_413_002;

/**
 * The safe horizon of the outbox: the highest `seq` below which no event can still appear.
 *
 * `seq` comes from a sequence, so it is handed out in insert order while transactions
 * commit in any order: T1 takes seq 7, T2 takes seq 8 and commits first. A reader that saw
 * 8 and moved its cursor past it would never see 7. Waiting a fixed "settle" time only makes
 * the miss rarer. Instead:
 *
 * 1. every event writer takes a shared advisory lock BEFORE its seq and holds it until it
 *    commits or rolls back (insert trigger, 0702_event_horizon_lock.sql);
 * 2. a reader notes M, the last seq handed out, then lists the transactions holding that
 *    lock (pg_locks, by virtual transaction id, which is never reused): whoever holds a
 *    seq ≤ M is among them or already finished;
 * 3. once none of those transactions holds the lock any more, every seq ≤ M is final
 *    (committed and visible, or rolled back forever) and can be read in seq order.
 *
 * With no event writer in flight the horizon is M at once; under load it trails by the
 * duration of the event-writing transactions in flight. Unrelated transactions (imports,
 * other databases on the cluster) never hold it back.
 */
export class OutboxHorizon {
  private checkpoints: Array<{ seq: number; waitFor: Set<string> }> = [];
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
    // A separate, later statement: every holder of a seq ≤ lastSeq took the lock before it.
    const holders = await sql<{ vxid: string }>`
      SELECT virtualtransaction AS vxid FROM pg_locks
      WHERE locktype = 'advisory' AND granted AND objsubid = 2
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND classid = ${EVENT_WRITER_LOCK}::oid
        AND objid = (hashtext(current_schema()) & 2147483647)::oid`.execute(this.db);
    const running = new Set(holders.rows.map((row) => row.vxid));
    if (lastSeq > this.safe) this.remember(lastSeq, running);
    this.checkpoints = this.checkpoints.filter((checkpoint) => {
      for (const vxid of checkpoint.waitFor) if (!running.has(vxid)) checkpoint.waitFor.delete(vxid);
      if (checkpoint.waitFor.size > 0) return true;
      this.safe = Math.max(this.safe, checkpoint.seq);
      return false;
    });
    return { horizon: this.safe, settling: this.checkpoints.length > 0 };
  }

  private remember(seq: number, running: Set<string>): void {
    const last = this.checkpoints[this.checkpoints.length - 1];
    // Waiting on the same transactions: the later, larger M is covered by the same wait.
    if (last && last.waitFor.size === running.size && [...running].every((vxid) => last.waitFor.has(vxid))) {
      last.seq = Math.max(last.seq, seq);
      return;
    }
    this.checkpoints.push({ seq, waitFor: new Set(running) });
    // Long event transactions hold everything back; merging checkpoints (waiting for the
    // union) is coarser but still correct.
    if (this.checkpoints.length > 64) {
      const [a, b] = this.checkpoints.splice(0, 2);
      this.checkpoints.unshift({ seq: b.seq, waitFor: new Set([...a.waitFor, ...b.waitFor]) });
    }
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
