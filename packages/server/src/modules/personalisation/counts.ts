import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { basketDelta, type CooccurrenceRows } from './algorithms/index.js';
import { SETTINGS } from './settings.js';
import type { CountSignal } from './tables.js';
import { trendingCache } from './trending-cache.js';
import { logSumExp2, signalKey } from './trending-key.js';

// Fractional view weights and retractions leave float dust; such a row means "never together".
const ZERO = 1e-9;

/**
 * Adds an increment (one basket, or a retraction with negative counts) to the persisted
 * counts. Rows are written in key order, so concurrent subscribers lock them in the same
 * order and cannot deadlock; counts that fall back to zero are removed.
 */
export async function addCounts(tx: Executor, signal: CountSignal, delta: CooccurrenceRows): Promise<void> {
  if (delta.items.length === 0) return;
  await sql`INSERT INTO recs_totals (signal, baskets) VALUES (${signal}, ${delta.totalBaskets})
    ON CONFLICT (signal) DO UPDATE SET baskets = recs_totals.baskets + excluded.baskets`.execute(tx);
  const items = [...delta.items].sort((a, b) => (a.productId < b.productId ? -1 : 1));
  await sql`INSERT INTO recs_item_counts (signal, product_id, count)
    SELECT ${signal}, t.product_id, t.count
    FROM unnest(${items.map((i) => i.productId)}::text[], ${items.map((i) => i.count)}::float8[]) AS t(product_id, count)
    ORDER BY t.product_id
    ON CONFLICT (signal, product_id) DO UPDATE SET count = recs_item_counts.count + excluded.count`.execute(
    tx,
  );
  if (delta.pairs.length > 0) {
    const pairs = [...delta.pairs].sort((a, b) =>
      a.productA === b.productA ? (a.productB < b.productB ? -1 : 1) : a.productA < b.productA ? -1 : 1,
    );
    await sql`INSERT INTO recs_pair_counts (signal, product_a, product_b, count)
      SELECT ${signal}, t.a, t.b, t.count
      FROM unnest(${pairs.map((p) => p.productA)}::text[], ${pairs.map((p) => p.productB)}::text[],
                  ${pairs.map((p) => p.count)}::float8[]) AS t(a, b, count)
      ORDER BY t.a, t.b
      ON CONFLICT (signal, product_a, product_b) DO UPDATE SET count = recs_pair_counts.count + excluded.count`.execute(
      tx,
    );
  }
  if (delta.totalBaskets < 0) {
    const ids = items.map((i) => i.productId);
    await sql`DELETE FROM recs_item_counts WHERE signal = ${signal} AND product_id = ANY(${ids}::text[])
      AND abs(count) < ${ZERO}`.execute(tx);
    await sql`DELETE FROM recs_pair_counts WHERE signal = ${signal} AND product_a = ANY(${ids}::text[])
      AND product_b = ANY(${ids}::text[]) AND abs(count) < ${ZERO}`.execute(tx);
  }
}

/**
 * The co-view increment when a shopper views `added` on a day they already viewed `before`:
 * exactly basketDelta(before ∪ added) − basketDelta(before), so counting a day's views one
 * request at a time gives the same counts as counting the whole day at once (the rebuild).
 */
export function viewDayDelta(before: readonly string[], added: readonly string[]): CooccurrenceRows {
  const seen = new Set(before);
  const fresh = [...new Set(added)].filter((id) => !seen.has(id));
  if (fresh.length === 0) return { totalBaskets: 0, items: [], pairs: [] };
  const after = basketDelta([...seen, ...fresh]);
  const freshSet = new Set(fresh);
  return {
    totalBaskets: seen.size === 0 ? 1 : 0,
    items: after.items.filter((item) => freshSet.has(item.productId)),
    pairs: after.pairs.filter((pair) => freshSet.has(pair.productA) || freshSet.has(pair.productB)),
  };
}

export interface TrendingSignal {
  productId: string;
  /** Epoch milliseconds. */
  at: number;
  weight: number;
}

/**
 * Adds signals to the channel's trending keys (see trending-key.ts): signals of one product
 * are folded first (one upsert per row), then each key is log-sum-exp'ed into the stored one.
 */
export async function addTrendingSignals(
  tx: Executor,
  channelId: string,
  signals: readonly TrendingSignal[],
): Promise<void> {
  const halfLife = SETTINGS.trendingHalfLifeMs;
  const keys = new Map<string, number>();
  for (const signal of signals) {
    if (!(signal.weight > 0)) continue;
    const key = signalKey(signal, halfLife);
    const previous = keys.get(signal.productId);
    keys.set(signal.productId, previous === undefined ? key : logSumExp2(previous, key));
  }
  if (keys.size === 0) return;
  const ordered = [...keys].sort(([a], [b]) => (a < b ? -1 : 1));
  // Same log-sum-exp as logSumExp2 (trending-key.ts), in SQL so the read-add-write is one atomic upsert.
  await sql`INSERT INTO recs_trending (channel_id, product_id, rank_key)
    SELECT ${channelId}, t.product_id, t.rank_key
    FROM unnest(${ordered.map(([id]) => id)}::text[], ${ordered.map(([, key]) => key)}::float8[]) AS t(product_id, rank_key)
    ORDER BY t.product_id
    ON CONFLICT (channel_id, product_id) DO UPDATE SET rank_key =
      greatest(recs_trending.rank_key, excluded.rank_key)
      + ln(1 + power(2::float8, -abs(recs_trending.rank_key - excluded.rank_key))) / ln(2::float8)`.execute(
    tx,
  );
  trendingCache.delete(channelId);
}
