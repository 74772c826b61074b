import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { ApiError, conflict, invalid } from '../../http/problem.js';
import { newId } from '../../lib/ids.js';
import { availableAt, type LevelState, LockedLevels } from './levels.js';
import { channelLocationIds } from './reservations.js';
import type { MovementRow } from './tables.js';

/** Why stock moved; the first ones are for admins, the last two are written by the system. */
export const MOVEMENT_REASONS = [
  'received',
  'correction',
  'cycle_count',
  'damaged',
  'lost',
  'returned',
  'other',
  'order_placed',
] as const;
export type MovementReason = (typeof MOVEMENT_REASONS)[number];

export interface StockChangeBy {
  reason: MovementReason;
  note?: string | null;
  actor?: string | null;
  orderId?: string | null;
}

async function requireLocation(db: Executor, locationId: string, field: string): Promise<void> {
  const found = await db
    .selectFrom('stock_locations')
    .select('id')
    .where('id', '=', locationId)
    .executeTakeFirst();
  if (!found)
    throw invalid('Unknown stock location', [{ field, message: `location ${locationId} does not exist` }]);
}

async function variantAllowsBackorder(db: Executor, variantId: string): Promise<boolean> {
  const item = await db
    .selectFrom('inventory_items')
    .select('allow_backorder')
    .where('variant_id', '=', variantId)
    .executeTakeFirst();
  return item?.allow_backorder ?? false;
}

async function lockLevel(tx: Executor, variantId: string, locationId: string) {
  const levels = await LockedLevels.lock(tx, [variantId]);
  await levels.expireLapsed(tx, [variantId]);
  const level =
    levels.get(variantId, locationId) ??
    (await levels.create(tx, variantId, locationId, await variantAllowsBackorder(tx, variantId)));
  return { levels, level };
}

function refuseBelowReserved(level: LevelState, onHand: number): void {
  if (!level.allowBackorder && onHand < level.reserved) {
    throw conflict(
      'below_reserved',
      `${level.reserved} units are held by carts and orders; on hand cannot go below that`,
      { reserved: level.reserved },
    );
  }
}

async function recordMovement(
  tx: Executor,
  level: LevelState,
  delta: number,
  by: StockChangeBy,
): Promise<void> {
  await tx
    .insertInto('inventory_movements')
    .values({
      id: newId('imov'),
      variant_id: level.variantId,
      location_id: level.locationId,
      delta,
      on_hand_after: level.onHand,
      reason: by.reason,
      note: by.note ?? null,
      actor: by.actor ?? null,
      order_id: by.orderId ?? null,
    })
    .execute();
}

/** Sets the counted quantity at a location (a stock take); the difference is recorded as a movement. */
export async function setStockLevel(
  tx: Executor,
  input: {
    variantId: string;
    locationId: string;
    onHand: number;
    lowStockThreshold?: number | null;
  } & StockChangeBy,
): Promise<LevelState> {
  await requireLocation(tx, input.locationId, '/params/location_id');
  const { levels, level } = await lockLevel(tx, input.variantId, input.locationId);
  refuseBelowReserved(level, input.onHand);
  if (input.lowStockThreshold !== undefined) {
    level.lowStockThreshold = input.lowStockThreshold;
    await tx
      .updateTable('inventory_levels')
      .set({ low_stock_threshold: input.lowStockThreshold })
      .where('variant_id', '=', input.variantId)
      .where('location_id', '=', input.locationId)
      .execute();
  }
  const delta = input.onHand - level.onHand;
  if (delta !== 0) {
    levels.change(input.variantId, input.locationId, { onHand: delta });
    await recordMovement(tx, level, delta, input);
  }
  await levels.flush(tx, input.reason);
  return level;
}

/** Adds or removes units (goods received, damaged, lost …) with a reason. */
export async function adjustStock(
  tx: Executor,
  input: { variantId: string; locationId: string; delta: number } & StockChangeBy,
): Promise<LevelState> {
  await requireLocation(tx, input.locationId, '/body/location_id');
  const { levels, level } = await lockLevel(tx, input.variantId, input.locationId);
  const onHand = level.onHand + input.delta;
  if (input.delta < 0 && onHand < 0) {
    throw new ApiError(
      422,
      'insufficient_stock',
      `Only ${level.onHand} on hand; cannot remove ${-input.delta}`,
      {
        errors: [{ field: '/body/delta', message: `would leave ${onHand} on hand` }],
      },
    );
  }
  refuseBelowReserved(level, onHand);
  levels.change(input.variantId, input.locationId, { onHand: input.delta });
  await recordMovement(tx, level, input.delta, input);
  await levels.flush(tx, input.reason);
  return level;
}

/**
 * Returned goods back on the shelf. Each line goes to its explicit location, else to the
 * location the order shipped it from, else to the channel's first location.
 */
export async function restock(
  tx: Executor,
  input: {
    lines: ReadonlyArray<{ variantId: string; quantity: number; locationId?: string }>;
    orderId?: string | null;
    channelId?: string | null;
    actor?: string | null;
    note?: string | null;
  },
): Promise<LevelState[]> {
  const restocked: LevelState[] = [];
  const channelLocations = input.channelId ? await channelLocationIds(tx, input.channelId) : [];
  for (const line of input.lines) {
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) {
      throw new RangeError(`Restock quantity for ${line.variantId} must be a positive integer`);
    }
    let locationId = line.locationId ?? null;
    if (!locationId && input.orderId) {
      const shipped = await tx
        .selectFrom('inventory_reservations')
        .select('location_id')
        .where('order_id', '=', input.orderId)
        .where('variant_id', '=', line.variantId)
        .where('status', '=', 'committed')
        .orderBy('id')
        .executeTakeFirst();
      locationId = shipped?.location_id ?? null;
    }
    locationId ??= channelLocations[0] ?? null;
    if (!locationId) {
      throw invalid('No stock location to restock into', [
        { field: '/body/lines', message: `no location known for ${line.variantId}` },
      ]);
    }
    const level = await adjustStock(tx, {
      variantId: line.variantId,
      locationId,
      delta: line.quantity,
      reason: 'returned',
      note: input.note ?? null,
      actor: input.actor ?? null,
      orderId: input.orderId ?? null,
    });
    restocked.push(level);
  }
  return restocked;
}

/** Allows or forbids selling a variant beyond its stock. */
export async function setBackorder(tx: Executor, variantId: string, allow: boolean): Promise<void> {
  const levels = await LockedLevels.lock(tx, [variantId]);
  await levels.expireLapsed(tx, [variantId]);
  await levels.flush(tx, 'reservation_expired');
  if (!allow) {
    const owing = await tx
      .selectFrom('inventory_levels')
      .select(['location_id', 'on_hand', 'reserved'])
      .where('variant_id', '=', variantId)
      .where((eb) => eb.or([eb('on_hand', '<', 0), eb('reserved', '>', eb.ref('on_hand'))]))
      .executeTakeFirst();
    if (owing) {
      throw conflict(
        'backorders_outstanding',
        'More units are promised than held; receive stock before turning backorder off',
        { location_id: owing.location_id, on_hand: owing.on_hand, reserved: owing.reserved },
      );
    }
  }
  await tx
    .insertInto('inventory_items')
    .values({ variant_id: variantId, allow_backorder: allow })
    .onConflict((oc) =>
      oc.column('variant_id').doUpdateSet({ allow_backorder: allow, updated_at: sql`now()` }),
    )
    .execute();
  await tx
    .updateTable('inventory_levels')
    .set({ allow_backorder: allow })
    .where('variant_id', '=', variantId)
    .execute();
}

export async function getVariantInventory(db: Executor, variantId: string) {
  const rows = await sql<{
    location_id: string;
    location_name: string;
    on_hand: number;
    reserved: number;
    low_stock_threshold: number | null;
    updated_at: Date;
  }>`
    SELECT l.location_id, s.name AS location_name, l.on_hand,
           l.reserved - coalesce((SELECT sum(r.quantity) FROM inventory_reservations r
             WHERE r.variant_id = l.variant_id AND r.location_id = l.location_id
               AND r.status = 'active' AND r.expires_at <= now()), 0)::int AS reserved,
           l.low_stock_threshold, l.updated_at
    FROM inventory_levels l JOIN stock_locations s ON s.id = l.location_id
    WHERE l.variant_id = ${variantId}
    ORDER BY s.priority, s.id`.execute(db);
  return {
    variant_id: variantId,
    allow_backorder: await variantAllowsBackorder(db, variantId),
    tracked: rows.rows.length > 0,
    levels: rows.rows.map((row) => ({
      location_id: row.location_id,
      location_name: row.location_name,
      on_hand: row.on_hand,
      reserved: row.reserved,
      available: availableAt({ onHand: row.on_hand, reserved: row.reserved }),
      low_stock_threshold: row.low_stock_threshold,
      updated_at: new Date(row.updated_at).toISOString(),
    })),
  };
}

export async function listMovements(
  db: Executor,
  input: { variantId?: string; locationId?: string; limit: number; before: string | null },
): Promise<MovementRow[]> {
  let query = db.selectFrom('inventory_movements').selectAll();
  if (input.variantId) query = query.where('variant_id', '=', input.variantId);
  if (input.locationId) query = query.where('location_id', '=', input.locationId);
  if (input.before) query = query.where('id', '<', input.before);
  return query
    .orderBy('id', 'desc')
    .limit(input.limit + 1)
    .execute();
}

export function presentMovement(row: MovementRow) {
  return {
    id: row.id,
    variant_id: row.variant_id,
    location_id: row.location_id,
    delta: row.delta,
    on_hand_after: row.on_hand_after,
    reason: row.reason,
    note: row.note,
    actor: row.actor,
    order_id: row.order_id,
    created_at: row.created_at.toISOString(),
  };
}
