import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { staleVersion } from '../../http/concurrency.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { conflict, notFound } from '../../http/problem.js';
import { newId, newSecret } from '../../lib/ids.js';
import { emitEvent } from '../events/outbox.js';
import type { DeliveryAttemptRow, DeliveryRow, DeliveryStatus } from '../events/tables.js';
import type { WebhookEndpointRow } from './tables.js';
import './tables.js';

export const PING_EVENT = 'webhook.ping';
export const consumerOf = (endpointId: string) => `webhook:${endpointId}`;

/** `*` matches everything, `order.*` the order family, anything else exactly. */
export function matchesEventType(patterns: readonly string[], type: string): boolean {
  return patterns.some(
    (pattern) =>
      pattern === '*' ||
      pattern === type ||
      (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1))),
  );
}

export interface EndpointInput {
  url: string;
  event_types: string[];
  description?: string;
  enabled?: boolean;
}

export async function createEndpoint(db: Executor, input: EndpointInput) {
  const secret = newSecret('whsec', 32);
  const allocated = await sql<{ last_value: number; is_called: boolean }>`
    SELECT last_value, is_called FROM events_seq_seq`.execute(db);
  const { last_value, is_called } = allocated.rows[0];
  const row = await db
    .insertInto('webhook_endpoints')
    .values({
      id: newId('whep'),
      url: input.url,
      description: input.description ?? '',
      event_types: input.event_types,
      secret,
      enabled: input.enabled ?? true,
      start_seq: is_called ? last_value : 0,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { row, secret };
}

export async function listEndpoints(db: Executor, limit: number, cursor?: string) {
  const [after] = (decodeCursor(cursor, 1) as [string] | null) ?? [''];
  const rows = await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('id', '>', String(after))
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit, (row) => [row.id]);
}

export async function getEndpoint(db: Executor, id: string): Promise<WebhookEndpointRow> {
  const row = await db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Webhook endpoint', id);
  return row;
}

export async function updateEndpoint(
  db: Db,
  id: string,
  patch: Partial<EndpointInput>,
  expected: number | null,
): Promise<WebhookEndpointRow> {
  return inTransaction(db, async (tx) => {
    const current = await tx
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw notFound('Webhook endpoint', id);
    if (expected !== null && expected !== current.version) throw staleVersion(presentEndpoint(current));
    return tx
      .updateTable('webhook_endpoints')
      .set({ ...patch, version: current.version + 1, updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/** Deletes the endpoint and its delivery log; queued deliveries die with it. */
export async function deleteEndpoint(db: Db, id: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    const deleted = await tx.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst();
    if (deleted.numDeletedRows === 0n) throw notFound('Webhook endpoint', id);
    await tx.deleteFrom('event_deliveries').where('consumer', '=', consumerOf(id)).execute();
  });
}

/** Sends a `webhook.ping` event through the outbox to this endpoint only. */
export async function pingEndpoint(db: Db, id: string) {
  return inTransaction(db, async (tx) => {
    const endpoint = await getEndpoint(tx, id);
    if (!endpoint.enabled) throw conflict('endpoint_disabled', 'Enable the endpoint before pinging it');
    return emitEvent(tx, {
      type: PING_EVENT,
      resourceType: 'webhook_endpoint',
      resourceId: id,
      data: { endpoint_id: id, url: endpoint.url },
    });
  });
}

export async function listDeliveries(
  db: Executor,
  endpointId: string,
  query: { limit: number; cursor?: string; status?: DeliveryStatus },
) {
  await getEndpoint(db, endpointId);
  const [before] = (decodeCursor(query.cursor, 1) as [string] | null) ?? [null];
  let select = db
    .selectFrom('event_deliveries')
    .selectAll()
    .where('consumer', '=', consumerOf(endpointId))
    .orderBy('id', 'desc')
    .limit(query.limit + 1);
  if (before) select = select.where('id', '<', String(before));
  if (query.status) select = select.where('status', '=', query.status);
  return toPage(await select.execute(), query.limit, (row) => [row.id]);
}

export async function getDelivery(db: Executor, endpointId: string, deliveryId: string) {
  const delivery = await db
    .selectFrom('event_deliveries')
    .selectAll()
    .where('id', '=', deliveryId)
    .where('consumer', '=', consumerOf(endpointId))
    .executeTakeFirst();
  if (!delivery) throw notFound('Webhook delivery', deliveryId);
  const attempts = await db
    .selectFrom('event_delivery_attempts')
    .selectAll()
    .where('delivery_id', '=', deliveryId)
    .orderBy('id')
    .execute();
  return { delivery, attempts };
}

/** Starts a new round of attempts for a delivery that succeeded or was dead-lettered. */
export async function replayDelivery(db: Db, endpointId: string, deliveryId: string) {
  return inTransaction(db, async (tx) => {
    await getEndpoint(tx, endpointId);
    const replayed = await tx
      .updateTable('event_deliveries')
      .set({ status: 'pending', attempts: 0, next_attempt_at: new Date(), updated_at: new Date() })
      .where('id', '=', deliveryId)
      .where('consumer', '=', consumerOf(endpointId))
      .where('status', '!=', 'pending')
      .returningAll()
      .executeTakeFirst();
    if (replayed) return replayed;
    const { delivery } = await getDelivery(tx, endpointId, deliveryId);
    throw conflict('delivery_pending', `Delivery ${delivery.id} is still being attempted`, {
      current: presentDelivery(delivery, endpointId),
    });
  });
}

export function presentEndpoint(row: WebhookEndpointRow, revealedSecret?: string) {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    event_types: row.event_types,
    enabled: row.enabled,
    secret_hint: row.secret.slice(-4),
    ...(revealedSecret ? { secret: revealedSecret } : {}),
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function presentDelivery(row: DeliveryRow, endpointId: string, attempts?: DeliveryAttemptRow[]) {
  return {
    id: row.id,
    endpoint_id: endpointId,
    event_id: row.event_id,
    event_seq: row.event_seq,
    event_type: row.event_type,
    status: row.status,
    attempts: row.attempts,
    next_attempt_at: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    last_duration_ms: row.last_duration_ms,
    ...(attempts
      ? {
          attempt_log: attempts.map((attempt) => ({
            attempt: attempt.attempt,
            status_code: attempt.status_code,
            duration_ms: attempt.duration_ms,
            error: attempt.error,
            created_at: attempt.created_at.toISOString(),
          })),
        }
      : {}),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
