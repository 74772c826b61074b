import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';

export interface Availability {
  variantId: string;
  /** False when the variant has no stock level anywhere: it is sold without limit. */
  tracked: boolean;
  /** Units on hand in the channel's locations. */
  onHand: number;
  /** Units promised to carts and orders there (lapsed holds not counted). */
  reserved: number;
  /** What a shopper can still take; null when untracked. */
  available: number | null;
  allowBackorder: boolean;
  /** Can one more unit be sold in this channel right now? */
  inStock: boolean;
}

/**
 * Stock per variant as a channel sees it: the sum over the locations that serve the
 * channel. Reservations whose TTL has passed count as released even before the sweeper
 * gets to them, so a read never shows stock held by an abandoned cart. Reads lock nothing.
 */
export async function getAvailability(
  db: Executor,
  input: { channelId: string; variantIds: readonly string[] },
): Promise<Map<string, Availability>> {
  const ids = [...new Set(input.variantIds)];
  const result = new Map<string, Availability>();
  if (ids.length === 0) return result;
  const rows = await sql<{
    variant_id: string;
    tracked: boolean;
    allow_backorder: boolean;
    on_hand: number;
    reserved: number;
    available: number;
  }>`
    WITH wanted AS (SELECT unnest(${ids}::text[]) AS variant_id),
    levels AS (
      SELECT l.variant_id, l.on_hand, l.reserved - coalesce(lapsed.quantity, 0) AS reserved,
             slc.channel_id IS NOT NULL AS in_channel
      FROM inventory_levels l
      LEFT JOIN stock_location_channels slc
        ON slc.location_id = l.location_id AND slc.channel_id = ${input.channelId}
      LEFT JOIN LATERAL (
        SELECT sum(r.quantity)::int AS quantity FROM inventory_reservations r
        WHERE r.variant_id = l.variant_id AND r.location_id = l.location_id
          AND r.status = 'active' AND r.expires_at <= now()
      ) lapsed ON true
      WHERE l.variant_id = ANY(${ids}::text[])
    )
    SELECT w.variant_id,
           count(levels.variant_id) > 0 AS tracked,
           coalesce(bool_or(i.allow_backorder), false) AS allow_backorder,
           coalesce(sum(levels.on_hand) FILTER (WHERE levels.in_channel), 0)::int AS on_hand,
           coalesce(sum(levels.reserved) FILTER (WHERE levels.in_channel), 0)::int AS reserved,
           coalesce(sum(greatest(0, levels.on_hand - levels.reserved)) FILTER (WHERE levels.in_channel), 0)::int
             AS available
    FROM wanted w
    LEFT JOIN levels ON levels.variant_id = w.variant_id
    LEFT JOIN inventory_items i ON i.variant_id = w.variant_id
    GROUP BY w.variant_id`.execute(db);
  for (const row of rows.rows) {
    result.set(row.variant_id, {
      variantId: row.variant_id,
      tracked: row.tracked,
      onHand: row.on_hand,
      reserved: row.reserved,
      available: row.tracked ? row.available : null,
      allowBackorder: row.allow_backorder,
      inStock: !row.tracked || row.available > 0 || row.allow_backorder,
    });
  }
  return result;
}

export function presentAvailability(availability: Availability) {
  return {
    tracked: availability.tracked,
    available: availability.available,
    allow_backorder: availability.allowBackorder,
    in_stock: availability.inStock,
  };
}
