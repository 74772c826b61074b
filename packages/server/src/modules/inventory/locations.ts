import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { staleVersion } from '../../http/concurrency.js';
import { conflict, invalid, notFound } from '../../http/problem.js';
import { newId } from '../../lib/ids.js';
import type { StockLocationRow } from './tables.js';

export interface LocationInput {
  name: string;
  priority?: number;
  address?: Record<string, unknown> | null;
  channel_ids?: string[];
}

export type LocationWithChannels = StockLocationRow & { channel_ids: string[] };

async function checkChannels(db: Executor, channelIds: string[]): Promise<void> {
  if (channelIds.length === 0) return;
  const found = await db.selectFrom('channels').select('id').where('id', 'in', channelIds).execute();
  const known = new Set(found.map((row) => row.id));
  const errors = channelIds
    .map((id, index) => ({ id, index }))
    .filter(({ id }) => !known.has(id))
    .map(({ id, index }) => ({
      field: `/body/channel_ids/${index}`,
      message: `channel ${id} does not exist`,
    }));
  if (errors.length > 0) throw invalid('Unknown channels', errors);
}

async function setChannels(db: Executor, locationId: string, channelIds: string[]): Promise<void> {
  await db.deleteFrom('stock_location_channels').where('location_id', '=', locationId).execute();
  if (channelIds.length === 0) return;
  await db
    .insertInto('stock_location_channels')
    .values(channelIds.map((channel_id) => ({ location_id: locationId, channel_id })))
    .execute();
}

async function withChannels(db: Executor, rows: StockLocationRow[]): Promise<LocationWithChannels[]> {
  if (rows.length === 0) return [];
  const links = await db
    .selectFrom('stock_location_channels')
    .selectAll()
    .where(
      'location_id',
      'in',
      rows.map((row) => row.id),
    )
    .orderBy('channel_id')
    .execute();
  return rows.map((row) => ({
    ...row,
    channel_ids: links.filter((link) => link.location_id === row.id).map((link) => link.channel_id),
  }));
}

export async function createLocation(db: Executor, input: LocationInput): Promise<LocationWithChannels> {
  const channelIds = input.channel_ids ?? [];
  await checkChannels(db, channelIds);
  const row = await db
    .insertInto('stock_locations')
    .values({
      id: newId('sloc'),
      name: input.name,
      priority: input.priority ?? 0,
      address: input.address ? (JSON.stringify(input.address) as never) : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await setChannels(db, row.id, channelIds);
  return { ...row, channel_ids: channelIds };
}

export async function getLocation(db: Executor, id: string): Promise<LocationWithChannels> {
  const row = await db.selectFrom('stock_locations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Stock location', id);
  const [located] = await withChannels(db, [row]);
  return located as LocationWithChannels;
}

export async function listLocations(
  db: Executor,
  input: { limit: number; after: string | null; channelId?: string },
): Promise<LocationWithChannels[]> {
  let query = db.selectFrom('stock_locations').selectAll('stock_locations');
  if (input.after) query = query.where('stock_locations.id', '>', input.after);
  if (input.channelId) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('stock_location_channels')
          .select(sql`1`.as('one'))
          .whereRef('stock_location_channels.location_id', '=', 'stock_locations.id')
          .where('stock_location_channels.channel_id', '=', input.channelId as string),
      ),
    );
  }
  const rows = await query
    .orderBy('stock_locations.id')
    .limit(input.limit + 1)
    .execute();
  return withChannels(db, rows);
}

export async function updateLocation(
  db: Executor,
  id: string,
  patch: Partial<LocationInput>,
  expectedVersion: number | null,
): Promise<LocationWithChannels> {
  const current = await getLocation(db, id);
  if (expectedVersion !== null && expectedVersion !== current.version)
    throw staleVersion(presentLocation(current));
  if (patch.channel_ids) await checkChannels(db, patch.channel_ids);
  const { channel_ids, address, ...rest } = patch;
  const row = await db
    .updateTable('stock_locations')
    .set({
      ...rest,
      ...(address !== undefined ? { address: address ? (JSON.stringify(address) as never) : null } : {}),
      version: current.version + 1,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('version', '=', current.version)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw staleVersion(presentLocation(await getLocation(db, id)));
  if (channel_ids) await setChannels(db, id, channel_ids);
  return getLocation(db, id);
}

/** Refused while the location holds or owes stock: deleting it would silently drop holds. */
export async function deleteLocation(db: Executor, id: string): Promise<void> {
  await getLocation(db, id);
  const busy = await db
    .selectFrom('inventory_levels')
    .select('variant_id')
    .where('location_id', '=', id)
    .where((eb) => eb.or([eb('on_hand', '!=', 0), eb('reserved', '!=', 0)]))
    .executeTakeFirst();
  if (busy) {
    throw conflict(
      'location_not_empty',
      'The location still holds or owes stock; set its levels to zero first',
      { variant_id: busy.variant_id },
    );
  }
  await db.deleteFrom('stock_locations').where('id', '=', id).execute();
}

export function presentLocation(row: LocationWithChannels) {
  return {
    id: row.id,
    name: row.name,
    priority: row.priority,
    address: row.address,
    channel_ids: row.channel_ids,
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
