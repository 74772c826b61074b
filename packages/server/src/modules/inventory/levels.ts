import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { emitEvent } from '../events/outbox.js';
import type { InventoryLevelRow } from './tables.js';

export interface LevelState {
  variantId: string;
  locationId: string;
  onHand: number;
  reserved: number;
  allowBackorder: boolean;
  lowStockThreshold: number | null;
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

  static async lock(tx: Executor, variantIds: Iterable<string>): Promise<LockedLevels> {
    const ids = [...new Set(variantIds)].sort();
    if (ids.length === 0) return new LockedLevels([]);
    const rows = await tx
      .selectFrom('inventory_levels')
      .selectAll()
      .where('variant_id', 'in', ids)
      .orderBy('variant_id')
      .orderBy('location_id')
      .forUpdate()
      .execute();
    return new LockedLevels(rows);
  }

  get(variantId: string, locationId: string): LevelState | undefined {
    return this.current.get(keyOf(variantId, locationId));
  }

  /** A variant is tracked once it has a level anywhere; untracked variants are unlimited. */
  isTracked(variantId: string): boolean {
    for (const level of this.current.values()) if (level.variantId === variantId) return true;
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
    const lapsed = await tx
      .updateTable('inventory_reservations')
      .set({ status: 'expired', updated_at: sql`now()` })
      .where('status', '=', 'active')
      .where('expires_at', '<=', sql<Date>`now()`)
      .where('variant_id', 'in', ids)
      .returning(['variant_id', 'location_id', 'quantity'])
      .execute();
    for (const row of lapsed) this.change(row.variant_id, row.location_id, { reserved: -row.quantity });
    return lapsed.length;
  }

  /** Writes changed levels back and emits `inventory.changed` / `inventory.low` for each. */
  async flush(tx: Executor, reason: string): Promise<LevelState[]> {
    const changed: LevelState[] = [];
    for (const [key, level] of this.current) {
      const before = this.original.get(key);
      if (!before || (before.onHand === level.onHand && before.reserved === level.reserved)) continue;
      await tx
        .updateTable('inventory_levels')
        .set({ on_hand: level.onHand, reserved: level.reserved, updated_at: sql`now()` })
        .where('variant_id', '=', level.variantId)
        .where('location_id', '=', level.locationId)
        .execute();
      await emitLevelEvents(tx, before, level, reason);
      this.original.set(key, { ...level });
      changed.push(level);
    }
    return changed;
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

export async function emitLevelEvents(
  tx: Executor,
  before: LevelState,
  after: LevelState,
  reason: string,
): Promise<void> {
  const data = presentLevelChange(after, reason);
  await emitEvent(tx, {
    type: 'inventory.changed',
    resourceType: 'variant',
    resourceId: after.variantId,
    data,
  });
  const threshold = after.lowStockThreshold;
  // Only the crossing is news: a level that stays low does not re-alert on every sale.
  if (threshold !== null && availableAt(before) > threshold && availableAt(after) <= threshold) {
    await emitEvent(tx, {
      type: 'inventory.low',
      resourceType: 'variant',
      resourceId: after.variantId,
      data: { ...data, low_stock_threshold: threshold },
    });
  }
}
