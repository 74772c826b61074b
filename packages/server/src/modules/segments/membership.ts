import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { decodeCursor, type PageResult, toPage } from '../../http/pagination.js';
import { rulesToSql } from './rules.js';
import { getSegment } from './service.js';
import type { SegmentRow } from './tables.js';

/** Cached membership older than the segment's `stale_after_minutes` (or never computed). */
export function isStale(
  segment: Pick<SegmentRow, 'computed_at' | 'stale_after_minutes'>,
  now: Date,
): boolean {
  return (
    segment.computed_at === null ||
    now.getTime() - segment.computed_at.getTime() > segment.stale_after_minutes * 60_000
  );
}

/**
 * Recomputes a segment's membership in one set-based statement over all customers. The
 * segment row is locked meanwhile, so two refreshes of one segment run one after the other.
 */
export async function refreshSegment(db: Executor, segmentId: string): Promise<SegmentRow> {
  return inTransaction(db, async (tx) => {
    const segment = await tx
      .selectFrom('segments')
      .selectAll()
      .where('id', '=', segmentId)
      .forUpdate()
      .executeTakeFirst();
    if (!segment) return getSegment(tx, segmentId);
    await tx.deleteFrom('segment_members').where('segment_id', '=', segmentId).execute();
    const inserted = await sql`INSERT INTO segment_members (segment_id, customer_id, computed_at)
      SELECT ${segmentId}, c.id, now() FROM customers c WHERE ${rulesToSql(segment.rules)}`.execute(tx);
    return tx
      .updateTable('segments')
      .set({ computed_at: sql`now()`, member_count: Number(inserted.numAffectedRows ?? 0n) })
      .where('id', '=', segmentId)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

export interface SegmentMemberRow {
  id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
}

/** The segment's customers (by ID), recomputing the cache first when it is stale or asked to. */
export async function listSegmentCustomers(
  db: Executor,
  segmentId: string,
  page: { limit: number; cursor?: string; refresh?: boolean },
): Promise<PageResult<SegmentMemberRow> & { computed_at: Date }> {
  const after = decodeCursor(page.cursor, 1);
  let segment = await getSegment(db, segmentId);
  if (page.refresh || isStale(segment, new Date())) segment = await refreshSegment(db, segmentId);
  let query = db
    .selectFrom('segment_members as m')
    .innerJoin('customers as c', 'c.id', 'm.customer_id')
    .select(['c.id', 'c.email', 'c.first_name', 'c.last_name'])
    .where('m.segment_id', '=', segmentId)
    .orderBy('c.id')
    .limit(page.limit + 1);
  if (after) query = query.where('c.id', '>', String(after[0]));
  return {
    ...toPage(await query.execute(), page.limit, (row) => [row.id]),
    computed_at: segment.computed_at!,
  };
}

/**
 * The segments a customer belongs to, for price selection and promotion conditions: the
 * cached membership of fresh segments, and a live evaluation for this one customer of the
 * stale ones (one query either way; refreshing a whole segment is left to its list or an admin).
 */
export async function getCustomerSegmentIds(db: Executor, customerId: string): Promise<string[]> {
  const segments = await db
    .selectFrom('segments')
    .select(['id', 'rules', 'computed_at', 'stale_after_minutes'])
    .execute();
  if (segments.length === 0) return [];
  const now = new Date();
  const fresh = segments.filter((segment) => !isStale(segment, now)).map((segment) => segment.id);
  const stale = segments.filter((segment) => isStale(segment, now));
  const parts = [
    ...(fresh.length
      ? [
          sql`SELECT segment_id AS id FROM segment_members
              WHERE customer_id = ${customerId} AND segment_id = ANY(${fresh}::text[])`,
        ]
      : []),
    ...stale.map(
      (segment) =>
        sql`SELECT ${segment.id}::text AS id FROM customers c WHERE c.id = ${customerId} AND ${rulesToSql(segment.rules)}`,
    ),
  ];
  const rows = await sql<{ id: string }>`${sql.join(parts, sql` UNION ALL `)}`.execute(db);
  return rows.rows.map((row) => row.id).sort();
}
