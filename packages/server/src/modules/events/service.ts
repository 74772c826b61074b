import type { Executor } from '../../db/database.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { notFound } from '../../http/problem.js';
import type { EventRow } from './tables.js';

export interface EventListFilter {
  limit: number;
  cursor?: string;
  types?: string[];
  resourceId?: string;
  channelId?: string;
  customerId?: string;
  afterSeq?: number;
  createdAfter?: Date;
  createdBefore?: Date;
}

export const parseTypeList = (list: string | undefined) => (list ? list.split(',') : undefined);

/**
 * Events in seq order, never past `horizon`: a client paging with `after_seq` or the cursor
 * can store the last seq it saw and resume without missing an event that committed late.
 */
export async function listEvents(db: Executor, horizon: number, filter: EventListFilter) {
  const [afterCursor] = (decodeCursor(filter.cursor, 1) as [number] | null) ?? [0];
  let query = db
    .selectFrom('events')
    .selectAll()
    .where('seq', '>', Math.max(Number(afterCursor) || 0, filter.afterSeq ?? 0))
    .where('seq', '<=', horizon)
    .orderBy('seq')
    .limit(filter.limit + 1);
  if (filter.types) query = query.where('type', 'in', filter.types);
  if (filter.resourceId) query = query.where('resource_id', '=', filter.resourceId);
  if (filter.channelId) query = query.where('channel_id', '=', filter.channelId);
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  if (filter.createdAfter) query = query.where('created_at', '>=', filter.createdAfter);
  if (filter.createdBefore) query = query.where('created_at', '<', filter.createdBefore);
  return toPage(await query.execute(), filter.limit, (row) => [row.seq]);
}

export async function getEvent(db: Executor, id: string): Promise<EventRow> {
  const row = await db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Event', id);
  return row;
}

/**
 * Fields that only in-process subscribers may read (a password-reset token lets whoever
 * holds it take over the account). Every outside view of an event — the admin API, live
 * streams and webhooks — goes through presentEvent and sees them redacted.
 */
const SECRET_FIELDS: Record<string, string[]> = {
  'customer.password_reset_requested': ['token'],
};

function redactSecrets(type: string, data: unknown): unknown {
  const secret = SECRET_FIELDS[type];
  if (!secret || typeof data !== 'object' || data === null) return data;
  const copy: Record<string, unknown> = { ...(data as Record<string, unknown>) };
  for (const field of secret) if (field in copy) copy[field] = '[redacted]';
  return copy;
}

export function presentEvent(row: EventRow) {
  return {
    id: row.id,
    seq: row.seq,
    type: row.type,
    resource_type: row.resource_type,
    resource_id: row.resource_id,
    channel_id: row.channel_id,
    customer_id: row.customer_id,
    data: redactSecrets(row.type, row.data),
    created_at: row.created_at.toISOString(),
  };
}
