import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import {
  buildBoughtTogetherIndex,
  buildRelatedIndex,
  CooccurrenceCounts,
  type NeighbourIndex,
  popularProducts,
} from './algorithms/index.js';
import { neighbourCache } from './neighbours.js';
import { INTERACTION_WEIGHTS, SETTINGS } from './settings.js';
import type { CountSignal, NeighbourIntent } from './tables.js';
import { trendingCache } from './trending-cache.js';

/** A day's view basket keeps its first this-many distinct products, as the live path does. */
const VIEW_DAY_PAIR_LIMIT = 50;
const WRITE_BATCH = 5_000;

export interface RebuildProgress {
  stage: 'counting' | 'modelling' | 'writing';
  done: number;
  total: number;
}

export interface RebuildReport {
  orders: number;
  products: number;
  purchasePairs: number;
  viewPairs: number;
  neighbourRows: number;
  seconds: { counting: number; modelling: number; writing: number };
}

/**
 * Recounts everything from the source of truth, set-based in SQL: placed, uncancelled
 * orders (one basket each), consented product views (one basket per shopper and UTC day),
 * and each channel's trending keys. The counted-orders table is rewritten in the same
 * transaction under an exclusive lock, so the order subscribers neither miss nor double-count
 * an order placed meanwhile: they wait, then find it counted.
 */
async function recount(tx: Executor): Promise<number> {
  await sql`LOCK TABLE recs_counted_orders IN EXCLUSIVE MODE`.execute(tx);
  for (const table of [
    'recs_pair_counts',
    'recs_item_counts',
    'recs_totals',
    'recs_counted_orders',
    'recs_trending',
  ])
    await sql`DELETE FROM ${sql.table(table)}`.execute(tx);
  const orders = await sql`INSERT INTO recs_counted_orders (order_id)
    SELECT id FROM orders WHERE placed_at IS NOT NULL AND NOT cancelled`.execute(tx);
  await sql`CREATE TEMP TABLE recs_baskets ON COMMIT DROP AS
    SELECT DISTINCT 'purchase'::text AS signal, l.order_id AS basket, l.product_id
    FROM order_lines l JOIN recs_counted_orders c ON c.order_id = l.order_id`.execute(tx);
  await sql`INSERT INTO recs_baskets (signal, basket, product_id)
    SELECT 'view', basket, product_id FROM (
      SELECT basket, product_id, row_number() OVER (PARTITION BY basket ORDER BY first_seen, product_id) AS n
      FROM (
        SELECT coalesce(customer_id, visitor_id) || '|' || to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS basket,
               product_id, min(occurred_at) AS first_seen
        FROM interactions WHERE kind = 'product_view' GROUP BY 1, 2
      ) day_views
    ) ranked WHERE n <= ${VIEW_DAY_PAIR_LIMIT}`.execute(tx);
  await sql`INSERT INTO recs_totals (signal, baskets)
    SELECT signal, count(DISTINCT basket) FROM recs_baskets GROUP BY signal`.execute(tx);
  await sql`INSERT INTO recs_item_counts (signal, product_id, count)
    SELECT signal, product_id, count(*) FROM recs_baskets GROUP BY signal, product_id`.execute(tx);
  await sql`INSERT INTO recs_pair_counts (signal, product_a, product_b, count)
    SELECT x.signal, x.product_id, y.product_id, count(*)
    FROM recs_baskets x JOIN recs_baskets y
      ON y.signal = x.signal AND y.basket = x.basket AND x.product_id < y.product_id
    GROUP BY x.signal, x.product_id, y.product_id`.execute(tx);
  // Trending: key = log2 Σ weight · 2^(t / half-life), as a log-sum-exp (see trending-key.ts).
  const halfLife = SETTINGS.trendingHalfLifeMs;
  await sql`WITH signals AS (
      SELECT o.channel_id, b.product_id,
             ln(${INTERACTION_WEIGHTS.purchase}::float8) / ln(2::float8) + extract(epoch FROM o.placed_at) * 1000 / ${halfLife}::float8 AS k
      FROM recs_baskets b JOIN orders o ON o.id = b.basket WHERE b.signal = 'purchase'
      UNION ALL
      SELECT i.channel_id, i.product_id,
             ln(CASE i.kind WHEN 'product_view' THEN ${INTERACTION_WEIGHTS.product_view}::float8
                            ELSE ${INTERACTION_WEIGHTS.add_to_cart}::float8 END) / ln(2::float8)
               + extract(epoch FROM i.occurred_at) * 1000 / ${halfLife}::float8
      FROM interactions i WHERE i.kind IN ('product_view', 'add_to_cart')
    ), peaks AS (
      SELECT channel_id, product_id, k, max(k) OVER (PARTITION BY channel_id, product_id) AS peak FROM signals
    )
    INSERT INTO recs_trending (channel_id, product_id, rank_key)
    SELECT p.channel_id, p.product_id, max(p.peak) + ln(sum(power(2::float8, p.k - p.peak))) / ln(2::float8)
    FROM peaks p WHERE EXISTS (SELECT 1 FROM products WHERE id = p.product_id)
      AND EXISTS (SELECT 1 FROM channels WHERE id = p.channel_id)
    GROUP BY p.channel_id, p.product_id`.execute(tx);
  return Number(orders.numAffectedRows ?? 0n);
}

async function loadCounts(db: Executor, signal: CountSignal): Promise<CooccurrenceCounts> {
  const [total, items, pairs] = await Promise.all([
    db.selectFrom('recs_totals').select('baskets').where('signal', '=', signal).executeTakeFirst(),
    db.selectFrom('recs_item_counts').select(['product_id', 'count']).where('signal', '=', signal).execute(),
    db
      .selectFrom('recs_pair_counts')
      .select(['product_a', 'product_b', 'count'])
      .where('signal', '=', signal)
      .execute(),
  ]);
  return CooccurrenceCounts.fromRows({
    totalBaskets: total?.baskets ?? 0,
    items: items.map((row) => ({ productId: row.product_id, count: row.count })),
    pairs: pairs.map((row) => ({ productA: row.product_a, productB: row.product_b, count: row.count })),
  });
}

interface ListRow {
  intent: NeighbourIntent;
  productId: string;
  rank: number;
  neighbourId: string;
  score: number;
  layer: 'ease' | 'cosine';
}

function listRows(
  intent: NeighbourIntent,
  index: NeighbourIndex,
  easeModelled: ReadonlySet<string>,
): ListRow[] {
  return [...index].flatMap(([productId, neighbours]) =>
    neighbours.map((neighbour, rank) => ({
      intent,
      productId,
      rank,
      neighbourId: neighbour.productId,
      score: neighbour.score,
      layer: easeModelled.has(productId) ? ('ease' as const) : ('cosine' as const),
    })),
  );
}

async function writeLists(
  db: Db,
  rows: readonly ListRow[],
  onProgress: (done: number) => void,
): Promise<void> {
  await inTransaction(db, async (tx) => {
    await sql`DELETE FROM recs_neighbours`.execute(tx);
    for (let start = 0; start < rows.length; start += WRITE_BATCH) {
      const batch = rows.slice(start, start + WRITE_BATCH);
      await sql`INSERT INTO recs_neighbours (intent, product_id, rank, neighbour_id, score, layer)
        SELECT * FROM unnest(${batch.map((r) => r.intent)}::text[], ${batch.map((r) => r.productId)}::text[],
          ${batch.map((r) => r.rank)}::int[], ${batch.map((r) => r.neighbourId)}::text[],
          ${batch.map((r) => r.score)}::float8[], ${batch.map((r) => r.layer)}::text[])`.execute(tx);
      onProgress(Math.min(rows.length, start + WRITE_BATCH));
    }
  });
}

/**
 * `merx recs rebuild`: recount from orders and views, rebuild both serving indexes with the
 * pure recommenders (EASE + shrunk cosine for bought-together, cosine over co-purchases and
 * co-views for related) and replace the materialised lists in one transaction, so readers see
 * the old lists or the new ones, never a mix.
 */
export async function rebuildRecommendations(
  db: Db,
  onProgress: (progress: RebuildProgress) => void = () => {},
): Promise<RebuildReport> {
  const started = performance.now();
  onProgress({ stage: 'counting', done: 0, total: 1 });
  const orders = await inTransaction(db, recount);
  trendingCache.clear();
  onProgress({ stage: 'counting', done: 1, total: 1 });
  const counted = performance.now();

  onProgress({ stage: 'modelling', done: 0, total: 2 });
  const purchases = await loadCounts(db, 'purchase');
  const views = await loadCounts(db, 'view');
  const bought = buildBoughtTogetherIndex(purchases, undefined, SETTINGS.boughtTogether);
  onProgress({ stage: 'modelling', done: 1, total: 2 });
  const related = buildRelatedIndex(purchases, views, undefined, SETTINGS.related);
  onProgress({ stage: 'modelling', done: 2, total: 2 });
  const easeModelled = new Set(
    popularProducts(purchases, SETTINGS.boughtTogether.ease.maxItems).map((item) => item.productId),
  );
  const rows = [
    ...listRows('bought_together', bought, easeModelled),
    ...listRows('related', related, new Set()),
  ];
  const modelled = performance.now();

  onProgress({ stage: 'writing', done: 0, total: rows.length });
  await writeLists(db, rows, (done) => onProgress({ stage: 'writing', done, total: rows.length }));
  neighbourCache.clear();
  const written = performance.now();

  const pairCount = (source: CooccurrenceCounts) => source.toRows().pairs.length;
  return {
    orders,
    products: [...purchases.products()].length,
    purchasePairs: pairCount(purchases),
    viewPairs: pairCount(views),
    neighbourRows: rows.length,
    seconds: {
      counting: (counted - started) / 1000,
      modelling: (modelled - counted) / 1000,
      writing: (written - modelled) / 1000,
    },
  };
}
