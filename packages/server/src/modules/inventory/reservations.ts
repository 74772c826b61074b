import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.js';
import { literal } from '../../db/plan-stable.js';
import { inTransaction } from '../../db/transaction.js';
import { ApiError } from '../../http/problem.js';
import { newId } from '../../lib/ids.js';
import { availableAt, type HeldBy, type Hold, LockedLevels } from './levels.js';
import type { ReservationRow } from './tables.js';

export interface StockLine {
  variantId: string;
  quantity: number;
}

/** Who holds a reservation: a cart (before the order exists) or an order. */
export type Holder = { cartId: string; orderId?: undefined } | { orderId: string; cartId?: undefined };

export interface ReserveInput {
  channelId: string;
  lines: readonly StockLine[];
  /** Seconds until the hold lapses on its own; omitted = held until released or committed. */
  ttlSeconds?: number | null;
}

export interface OutOfStockVariant {
  variant_id: string;
  requested: number;
  available: number;
}

export const outOfStock = (variants: OutOfStockVariant[]) =>
  new ApiError(
    409,
    'out_of_stock',
    `Not enough stock for ${variants.map((v) => `${v.variant_id} (requested ${v.requested}, available ${v.available})`).join(', ')}`,
    { variants },
  );

/** Locations serving a channel, in the order they are drawn from. */
export async function channelLocationIds(db: Executor, channelId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('stock_location_channels')
    .innerJoin('stock_locations', 'stock_locations.id', 'stock_location_channels.location_id')
    .select('stock_locations.id')
    .where('stock_location_channels.channel_id', '=', channelId)
    .orderBy('stock_locations.priority')
    .orderBy('stock_locations.id')
    .execute();
  return rows.map((row) => row.id);
}

function holderFilter(holder: Holder): HeldBy {
  return holder.cartId !== undefined
    ? { column: 'cart_id', value: holder.cartId }
    : { column: 'order_id', value: holder.orderId };
}

function sumByVariant(lines: readonly StockLine[]): Map<string, number> {
  const wanted = new Map<string, number>();
  for (const line of lines) {
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 0) {
      throw new RangeError(`Quantity for ${line.variantId} must be a non-negative integer`);
    }
    wanted.set(line.variantId, (wanted.get(line.variantId) ?? 0) + line.quantity);
  }
  return wanted;
}

export interface ReserveResult {
  /** Active reservations of the holder after the call. */
  reservations: ReservationRow[];
  expiresAt: Date | null;
}

/**
 * Makes `holder` hold exactly `lines` in the channel's locations, all or nothing.
 *
 * Idempotent: calling it again with the same lines changes nothing but the expiry, so a
 * cart that reserved at add-to-cart and a checkout that reserves again never double-count.
 * Quantities above what the holder already has are drawn from the channel's locations by
 * priority; quantities below are given back. Variants without any stock level are
 * untracked (unlimited) and need no hold. Throws 409 `out_of_stock` naming every variant
 * that cannot be covered, before changing anything.
 */
export async function reserve(tx: Executor, input: ReserveInput & Holder): Promise<ReserveResult> {
  const holder: Holder = input.cartId !== undefined ? { cartId: input.cartId } : { orderId: input.orderId };
  const wanted = sumByVariant(input.lines);
  const heldBy = holderFilter(holder);
  const levels = await LockedLevels.lock(tx, wanted.keys(), heldBy);
  const variantIds = new Set([...wanted.keys(), ...levels.variantIds()]);
  const held = await levels.expireLapsedAndReadHolds(tx, variantIds, heldBy);
  const haveOf = (variantId: string) =>
    held.filter((row) => row.variant_id === variantId).reduce((sum, row) => sum + row.quantity, 0);
  // Only a holder asking for more than it has draws from the locations.
  const drawing = [...variantIds].some(
    (variantId) => levels.isTracked(variantId) && (wanted.get(variantId) ?? 0) > haveOf(variantId),
  );
  const locations = drawing ? await channelLocationIds(tx, input.channelId) : [];

  const releases: Array<{ row: Hold; quantity: number }> = [];
  const allocations: Array<{ variantId: string; locationId: string; quantity: number }> = [];
  const missing: OutOfStockVariant[] = [];

  for (const variantId of [...variantIds].sort()) {
    const want = wanted.get(variantId) ?? 0;
    const mine = held.filter((row) => row.variant_id === variantId);
    const have = haveOf(variantId);
    if (want < have) {
      let surplus = have - want;
      // Give back the newest holds first: the oldest keep their place.
      for (const row of [...mine].reverse()) {
        if (surplus === 0) break;
        const quantity = Math.min(surplus, row.quantity);
        releases.push({ row, quantity });
        surplus -= quantity;
      }
      continue;
    }
    if (want === have || !levels.isTracked(variantId)) continue;
    let need = want - have;
    let free = 0;
    for (const locationId of locations) {
      const level = levels.get(variantId, locationId);
      if (!level) continue;
      const take = Math.min(need, availableAt(level));
      free += availableAt(level);
      if (take > 0) {
        allocations.push({ variantId, locationId, quantity: take });
        need -= take;
      }
    }
    if (need > 0 && levels.allowsBackorder(variantId) && locations.length > 0) {
      allocations.push({ variantId, locationId: locations[0] as string, quantity: need });
      need = 0;
    }
    if (need > 0) missing.push({ variant_id: variantId, requested: want, available: have + free });
  }
  if (missing.length > 0) throw outOfStock(missing);

  for (const { row, quantity } of releases) {
    levels.change(row.variant_id, row.location_id, { reserved: -quantity });
  }
  if (releases.length > 0) {
    // A hold given back whole is released (keeping its quantity); one given back in part shrinks.
    await sql`
      UPDATE inventory_reservations AS r
      SET status = v.status, quantity = v.quantity, updated_at = now()
      FROM unnest(
        ${releases.map(({ row }) => row.id)}::text[],
        ${releases.map(({ row, quantity }) => (quantity === row.quantity ? 'released' : 'active'))}::text[],
        ${releases.map(({ row, quantity }) => (quantity === row.quantity ? row.quantity : row.quantity - quantity))}::int[]
      ) AS v(id, status, quantity)
      WHERE r.id = v.id`.execute(tx);
  }
  for (const allocation of allocations) {
    if (!levels.get(allocation.variantId, allocation.locationId)) {
      await levels.create(tx, allocation.variantId, allocation.locationId, true);
    }
    levels.change(allocation.variantId, allocation.locationId, { reserved: allocation.quantity });
  }
  const ttlSeconds = input.ttlSeconds ?? null;
  const inserted =
    allocations.length === 0
      ? []
      : await tx
          .insertInto('inventory_reservations')
          .values(
            allocations.map((allocation) => ({
              id: newId('resv'),
              variant_id: allocation.variantId,
              location_id: allocation.locationId,
              quantity: allocation.quantity,
              cart_id: holder.cartId ?? null,
              order_id: holder.orderId ?? null,
              expires_at: expiryAfter(ttlSeconds),
            })),
          )
          .returningAll()
          .execute();
  await levels.flush(tx, 'reserved');
  const released = new Set(
    releases.filter(({ row, quantity }) => quantity === row.quantity).map(({ row }) => row.id),
  );
  const kept = held.some((row) => !released.has(row.id));
  // Holds the holder already had get the new expiry too; new ones were inserted with it.
  const reservations = (kept ? await refreshExpiry(tx, holder, ttlSeconds) : inserted).sort((a, b) =>
    a.id < b.id ? -1 : 1,
  );
  return { reservations, expiresAt: reservations[0]?.expires_at ?? null };
}

function expiryAfter(ttlSeconds: number | null) {
  return ttlSeconds === null ? null : sql<Date>`now() + make_interval(secs => ${Math.trunc(ttlSeconds)})`;
}

async function refreshExpiry(
  tx: Executor,
  holder: Holder,
  ttlSeconds: number | null,
): Promise<ReservationRow[]> {
  const { column, value } = holderFilter(holder);
  return tx
    .updateTable('inventory_reservations')
    .set({ expires_at: expiryAfter(ttlSeconds), updated_at: sql`now()` })
    .where(column, '=', value)
    .where('status', '=', literal('active'))
    .returningAll()
    .execute();
}

/** Extends a cart's holds on activity (a shopper still shopping keeps their stock). */
export async function touchReservations(
  tx: Executor,
  cartId: string,
  ttlSeconds: number,
): Promise<Date | null> {
  const [touched] = await refreshExpiry(tx, { cartId }, ttlSeconds);
  return touched?.expires_at ?? null;
}

/** Gives back every active hold of a cart or an order (cart abandoned, checkout failed, order cancelled). */
export async function releaseReservations(tx: Executor, holder: Holder): Promise<number> {
  const levels = await LockedLevels.lock(tx, [], holderFilter(holder));
  if (levels.isEmpty()) return 0;
  const released = await settleHolds(tx, holder, { status: 'released' });
  for (const row of released) levels.change(row.variant_id, row.location_id, { reserved: -row.quantity });
  await levels.flush(tx, 'released');
  return released.reduce((sum, row) => sum + row.quantity, 0);
}

/**
 * Moves every active hold of the holder to a final status, under the level locks the caller
 * took: what this returns is exactly what was still active, whatever happened before the locks.
 */
async function settleHolds(
  tx: Executor,
  holder: Holder,
  set: { status: 'released' } | { status: 'committed'; order_id: string; expires_at: null },
): Promise<ReservationRow[]> {
  const { column, value } = holderFilter(holder);
  const rows = await tx
    .updateTable('inventory_reservations')
    .set({ ...set, updated_at: sql`now()` })
    .where(column, '=', value)
    .where('status', '=', literal('active'))
    .returningAll()
    .execute();
  return rows.sort((a, b) => (a.id < b.id ? -1 : 1));
}

export interface CommittedLine {
  variantId: string;
  locationId: string;
  quantity: number;
}

/**
 * At order placement: the holder's reservations become shipped stock (on_hand and reserved
 * both drop) and are re-labelled with the order. Active holds whose TTL has passed are
 * still committed: until released they were counted in `reserved`, so nobody else took them.
 * Call `reserve` first in the same transaction to make sure every line is held.
 */
export async function commitReservations(
  tx: Executor,
  input: { cartId?: string; orderId: string; actor?: string | null },
): Promise<CommittedLine[]> {
  const holder: Holder = input.cartId !== undefined ? { cartId: input.cartId } : { orderId: input.orderId };
  const levels = await LockedLevels.lock(tx, [], holderFilter(holder));
  if (levels.isEmpty()) return [];
  const still = await settleHolds(tx, holder, {
    status: 'committed',
    order_id: input.orderId,
    expires_at: null,
  });
  if (still.length === 0) return [];
  const movements = still.map((row) => {
    const level = levels.change(row.variant_id, row.location_id, {
      onHand: -row.quantity,
      reserved: -row.quantity,
    });
    return {
      id: newId('imov'),
      variant_id: row.variant_id,
      location_id: row.location_id,
      delta: -row.quantity,
      on_hand_after: level.onHand,
      reason: 'order_placed',
      note: null,
      actor: input.actor ?? null,
      order_id: input.orderId,
    };
  });
  await tx.insertInto('inventory_movements').values(movements).execute();
  await levels.flush(tx, 'order_placed');
  return still.map((row) => ({
    variantId: row.variant_id,
    locationId: row.location_id,
    quantity: row.quantity,
  }));
}

/** The active holds of a cart, for presenting when they lapse. */
export async function cartReservationExpiry(db: Executor, cartId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('inventory_reservations')
    .select((eb) => eb.fn.min('expires_at').as('expires_at'))
    .where('cart_id', '=', cartId)
    .where('status', '=', literal('active'))
    .executeTakeFirst();
  return (row?.expires_at as Date | null | undefined) ?? null;
}

/**
 * Releases holds whose TTL passed, a batch of variants at a time, under the same locks
 * shoppers take. Reads already ignore lapsed holds; this returns the units to `reserved`.
 */
export async function sweepExpiredReservations(db: Db, batch = 200): Promise<number> {
  const due = await db
    .selectFrom('inventory_reservations')
    .select('variant_id')
    .distinct()
    .where('status', '=', literal('active'))
    .where('expires_at', '<=', sql<Date>`now()`)
    .limit(batch)
    .execute();
  if (due.length === 0) return 0;
  const variantIds = due.map((row) => row.variant_id);
  return inTransaction(db, async (tx) => {
    const levels = await LockedLevels.lock(tx, variantIds);
    const expired = await levels.expireLapsed(tx, variantIds);
    await levels.flush(tx, 'reservation_expired');
    return expired;
  });
}

/**
 * Deletes released and expired holds settled more than `retentionDays` ago, a batch at a
 * time. Active holds and holds committed to orders are never touched.
 */
export async function pruneSettledReservations(db: Db, retentionDays: number, batch = 1000): Promise<number> {
  const result = await sql`
    DELETE FROM inventory_reservations WHERE id IN (
      SELECT id FROM inventory_reservations
      WHERE status IN ('released', 'expired')
        AND updated_at < now() - make_interval(days => ${Math.trunc(retentionDays)})
      LIMIT ${batch})`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
