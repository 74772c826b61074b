import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { anyOfTexts, literal, unplannedUnnest } from '../../db/plan-stable.js';
import { emitEvents, type NewEvent } from '../events/outbox.js';
import type { InventoryLevelRow, ReservationRow } from './tables.js';

export interface LevelState {
  variantId: string;
  locationId: string;
  onHand: number;
  reserved: number;
  allowBackorder: boolean;
  lowStockThreshold: number | null;
}

/** A cart's or an order's reservations, as a column of `inventory_reservations` and its value. */
export interface HeldBy {
  column: 'cart_id' | 'order_id';
  value: string;
}

/** An active reservation, as much of it as the level arithmetic needs. */
export type Hold = Pick<ReservationRow, 'id' | 'variant_id' | 'location_id' | 'quantity'>;

function expiring(tx: Executor, variantIds: string[]) {
  return tx
    .updateTable('inventory_reservations')
    .set({ status: 'expired', updated_at: sql`now()` })
    .where('status', '=', literal('active'))
    .where('expires_at', '<=', sql<Date>`now()`)
    .where(sql<boolean>`variant_id = ${anyOfTexts(variantIds)}`)
    .returning(['id', 'variant_id', 'location_id', 'quantity']);
}

const keyOf = (variantId: string, locationId: string) => `${variantId}\u0000${locationId}`;

/** What a shopper can still take from one level; never negative. */
export const availableAt = (level: Pick<LevelState, 'onHand' | 'reserved'>) =>
  Math.max(0, level.onHand - level.reserved);

function toState(row: InventoryLevelRow): LevelState {
  return {
    variantId: row.variant_id,
    locationId: row.location_id,
    onHand: row.on_hand,
    reserved: row.reserved,
    allowBackorder: row.allow_backorder,
    lowStockThreshold: row.low_stock_threshold,
  };
}

/**
 * The stock levels of some variants, row-locked for the rest of the transaction.
 *
 * Every writer of levels or active reservations goes through here and locks the levels
 * first, always in (variant_id, location_id) order, so concurrent reservations queue on
 * the rows they share instead of deadlocking or overselling. Changes are made in memory
 * and written back by `flush`, which also emits the inventory events.
 */
export class LockedLevels {
  private readonly current = new Map<string, LevelState>();
  private readonly original = new Map<string, LevelState>();

  private constructor(rows: InventoryLevelRow[]) {
    for (const row of rows) {
      const state = toState(row);
      this.current.set(keyOf(state.variantId, state.locationId), state);
      this.original.set(keyOf(state.variantId, state.locationId), { ...state });
    }
  }

  /**
   * `heldBy` also locks the levels of every variant that cart or order holds, read inside
   * the locking statement: the holder's reservations can then be read once, under the locks.
   */
  static async lock(tx: Executor, variantIds: Iterable<string>, heldBy?: HeldBy): Promise<LockedLevels> {
    const ids = [...new Set(variantIds)].sort();
    if (ids.length === 0 && !heldBy) return new LockedLevels([]);
    const held = heldBy
      ? tx
          .selectFrom('inventory_reservations')
          .select('variant_id')
          .where(heldBy.column, '=', heldBy.value)
          .where('status', '=', literal('active'))
      : undefined;
    // ARRAY(subquery) runs once and keeps the primary-key lookup; `IN (list) OR IN (subquery)` would scan the table.
    const listed = sql`ARRAY(SELECT unnest(${ids}::text[]))`;
    const wanted = held ? sql`${listed} || ARRAY(${held})` : listed;
    const rows = await tx
      .selectFrom('inventory_levels')
      .selectAll()
      .where(sql<boolean>`variant_id = ANY(${wanted})`)
      .orderBy('variant_id')
      .orderBy('location_id')
      .forUpdate()
      .execute();
    return new LockedLevels(rows);
  }

  isEmpty(): boolean {
    return this.current.size === 0;
  }

  variantIds(): Set<string> {
    return new Set([...this.current.values()].map((level) => level.variantId));
  }

  get(variantId: string, locationId: string): LevelState | undefined {
    return this.current.get(keyOf(variantId, locationId));
  }

  /** A variant is tracked once it has a level anywhere; untracked variants are unlimited. */
  isTracked(variantId: string): boolean {
    for (const level of this.current.values()) if (level.variantId === variantId) return true;
    return false;
  }

  /**
   * Whether the variant may sell beyond stock. `allow_backorder` is copied from the variant
   * onto each of its levels (and changed on both under these locks), so the locked rows
   * answer without another read and agree with the CHECK that guards the level.
   */
  allowsBackorder(variantId: string): boolean {
    for (const level of this.current.values()) {
      if (level.variantId === variantId && level.allowBackorder) return true;
    }
    return false;
  }

  /** Inserts a level (e.g. a backorder at a location that never held the variant) and locks it. */
  async create(
    tx: Executor,
    variantId: string,
    locationId: string,
    allowBackorder: boolean,
  ): Promise<LevelState> {
    await tx
      .insertInto('inventory_levels')
      .values({ variant_id: variantId, location_id: locationId, on_hand: 0, allow_backorder: allowBackorder })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const row = await tx
      .selectFrom('inventory_levels')
      .selectAll()
      .where('variant_id', '=', variantId)
      .where('location_id', '=', locationId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const state = toState(row);
    this.current.set(keyOf(variantId, locationId), state);
    // A new level starts from nothing: events report it as changed from zero.
    this.original.set(keyOf(variantId, locationId), { ...state, onHand: 0, reserved: 0 });
    return state;
  }

  change(variantId: string, locationId: string, delta: { onHand?: number; reserved?: number }): LevelState {
    const level = this.current.get(keyOf(variantId, locationId));
    if (!level) throw new Error(`Level ${variantId}@${locationId} is not locked`);
    level.onHand += delta.onHand ?? 0;
    level.reserved += delta.reserved ?? 0;
    return level;
  }

  /**
   * Releases reservations of these variants whose time-to-live has passed. Runs under the
   * level locks, so two nodes (or the sweeper and a shopper) never release one twice.
   */
  async expireLapsed(tx: Executor, variantIds: Iterable<string>): Promise<number> {
    const ids = [...new Set(variantIds)];
    if (ids.length === 0) return 0;
    const lapsed = await expiring(tx, ids).execute();
    for (const row of lapsed) this.change(row.variant_id, row.location_id, { reserved: -row.quantity });
    return lapsed.length;
  }

  /**
   * `expireLapsed`, then the holds of `heldBy` still active after it (oldest first), in one
   * statement: the SELECT runs on the snapshot before the UPDATE, so it leaves out by ID
   * the holds the UPDATE just expired.
   */
  async expireLapsedAndReadHolds(
    tx: Executor,
    variantIds: Iterable<string>,
    heldBy: HeldBy,
  ): Promise<Hold[]> {
    const ids = [...new Set(variantIds)];
    const rows = await tx
      .with('lapsed', () => expiring(tx, ids))
      .selectFrom('lapsed')
      .select(['id', 'variant_id', 'location_id', 'quantity', sql<boolean>`true`.as('lapsed')])
      .unionAll((eb) =>
        eb
          .selectFrom('inventory_reservations')
          .select(['id', 'variant_id', 'location_id', 'quantity', sql<boolean>`false`.as('lapsed')])
          .where(heldBy.column, '=', heldBy.value)
          .where('status', '=', literal('active'))
          .where('id', 'not in', sql<string>`(SELECT id FROM lapsed)`),
      )
      .execute();
    const held: Hold[] = [];
    for (const { lapsed, ...row } of rows) {
      if (lapsed) this.change(row.variant_id, row.location_id, { reserved: -row.quantity });
      else held.push(row);
    }
    return held.sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  /**
   * Writes changed levels back in one statement and emits `inventory.changed` /
   * `inventory.low` for each in one more, level by level in lock order.
   */
  async flush(tx: Executor, reason: string): Promise<LevelState[]> {
    const changed: Array<{ key: string; before: LevelState; level: LevelState }> = [];
    for (const [key, level] of this.current) {
      const before = this.original.get(key);
      if (!before || (before.onHand === level.onHand && before.reserved === level.reserved)) continue;
      changed.push({ key, before, level });
    }
    if (changed.length === 0) return [];
    // Every row is already locked by this transaction, so the order of the writes cannot deadlock.
    const values = unplannedUnnest([
      [changed.map(({ level }) => level.variantId), 'text'],
      [changed.map(({ level }) => level.locationId), 'text'],
      [changed.map(({ level }) => level.onHand), 'int'],
      [changed.map(({ level }) => level.reserved), 'int'],
    ]);
    await sql`
      UPDATE inventory_levels AS l
      SET on_hand = v.on_hand, reserved = v.reserved, updated_at = now()
      FROM ${values} AS v(variant_id, location_id, on_hand, reserved)
      WHERE l.variant_id = v.variant_id AND l.location_id = v.location_id`.execute(tx);
    await emitEvents(
      tx,
      changed.flatMap(({ before, level }) => levelEvents(before, level, reason)),
    );
    for (const { key, level } of changed) this.original.set(key, { ...level });
    return changed.map(({ level }) => level);
  }
}

export function presentLevelChange(level: LevelState, reason: string) {
  return {
    variant_id: level.variantId,
    location_id: level.locationId,
    on_hand: level.onHand,
    reserved: level.reserved,
    available: availableAt(level),
    allow_backorder: level.allowBackorder,
    reason,
  };
}

function levelEvents(before: LevelState, after: LevelState, reason: string): NewEvent[] {
  const data = presentLevelChange(after, reason);
  const events: NewEvent[] = [
    { type: 'inventory.changed', resourceType: 'variant', resourceId: after.variantId, data },
  ];
  const threshold = after.lowStockThreshold;
  // Only the crossing is news: a level that stays low does not re-alert on every sale.
  if (threshold !== null && availableAt(before) > threshold && availableAt(after) <= threshold) {
    events.push({
      type: 'inventory.low',
      resourceType: 'variant',
      resourceId: after.variantId,
      data: { ...data, low_stock_threshold: threshold },
    });
  }
  return events;
}
