import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { staleVersion } from '../../http/concurrency.js';
import { notFound } from '../../http/problem.js';
import { ConfigMemo } from '../../lib/config-memo.js';
import type { ReservationPoint } from './tables.js';

export const DEFAULT_RESERVATION_TTL_SECONDS = 900;

export interface ReservationSettings {
  channelId: string;
  point: ReservationPoint;
  ttlSeconds: number;
  version: number;
}

const settingsOfChannel = new ConfigMemo<ReservationSettings>();

/**
 * A channel without settings reserves at checkout start, the safest default for stock turnover.
 * `cached`: a cart write may use this node's copy (see ConfigMemo); checkout reads fresh.
 */
export async function getReservationSettings(
  db: Executor,
  channelId: string,
  options: { cached?: boolean } = {},
): Promise<ReservationSettings> {
  if (options.cached) return settingsOfChannel.read(channelId, () => getReservationSettings(db, channelId));
  const row = await db
    .selectFrom('inventory_channel_settings')
    .selectAll()
    .where('channel_id', '=', channelId)
    .executeTakeFirst();
  return {
    channelId,
    point: row?.reservation_point ?? 'at_checkout',
    ttlSeconds: row?.reservation_ttl_seconds ?? DEFAULT_RESERVATION_TTL_SECONDS,
    version: row?.version ?? 0,
  };
}

export async function setReservationSettings(
  db: Executor,
  channelId: string,
  input: { reservation_point?: ReservationPoint; reservation_ttl_seconds?: number },
  expectedVersion: number | null,
): Promise<ReservationSettings> {
  const channel = await db.selectFrom('channels').select('id').where('id', '=', channelId).executeTakeFirst();
  if (!channel) throw notFound('Channel', channelId);
  const current = await getReservationSettings(db, channelId);
  if (expectedVersion !== null && expectedVersion !== current.version)
    throw staleVersion(presentReservationSettings(current));
  settingsOfChannel.invalidate();
  const point = input.reservation_point ?? current.point;
  const ttl = input.reservation_ttl_seconds ?? current.ttlSeconds;
  const row = await db
    .insertInto('inventory_channel_settings')
    .values({ channel_id: channelId, reservation_point: point, reservation_ttl_seconds: ttl })
    .onConflict((oc) =>
      oc
        .column('channel_id')
        .doUpdateSet({
          reservation_point: point,
          reservation_ttl_seconds: ttl,
          version: sql`inventory_channel_settings.version + 1`,
          updated_at: sql`now()`,
        })
        .where('inventory_channel_settings.version', '=', current.version),
    )
    .returningAll()
    .executeTakeFirst();
  if (!row) throw staleVersion(presentReservationSettings(await getReservationSettings(db, channelId)));
  return {
    channelId,
    point: row.reservation_point,
    ttlSeconds: row.reservation_ttl_seconds,
    version: row.version,
  };
}

export function presentReservationSettings(settings: ReservationSettings) {
  return {
    channel_id: settings.channelId,
    reservation_point: settings.point,
    reservation_ttl_seconds: settings.ttlSeconds,
    version: settings.version,
  };
}
