import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import {
  blendCooccurrence,
  CooccurrenceCounts,
  cosineNeighbours,
  type NeighbourIndex,
  type ScoredProduct,
} from './algorithms/index.js';
import { SETTINGS } from './settings.js';
import type { CountSignal, NeighbourIntent } from './tables.js';
import { TtlCache } from './ttl-cache.js';

/**
 * Each seed's materialised list, kept for a few seconds: product pages of popular products ask
 * for the same lists over and over. Writes on this node drop the entry (a rebuild drops all);
 * another node's incremental refresh after an order shows here within the TTL.
 */
export const neighbourCache = new TtlCache<ScoredProduct[]>(5_000, 50_000);

export type Layer = 'ease' | 'cosine';

/** Replaces one product's materialised list (rank order = best first). */
export async function writeNeighbourList(
  tx: Executor,
  intent: NeighbourIntent,
  productId: string,
  neighbours: readonly ScoredProduct[],
  layer: Layer,
): Promise<void> {
  neighbourCache.delete(`${intent}|${productId}`);
  if (neighbours.length > 0) {
    // An upsert by rank (not delete + insert): two refreshes of one product at once then
    // queue on the same rows instead of colliding on the primary key.
    await sql`INSERT INTO recs_neighbours (intent, product_id, rank, neighbour_id, score, layer)
      SELECT ${intent}, ${productId}, t.rank, t.neighbour_id, t.score, ${layer}
      FROM unnest(${neighbours.map((_, rank) => rank)}::int[], ${neighbours.map((n) => n.productId)}::text[],
                  ${neighbours.map((n) => n.score)}::float8[]) AS t(rank, neighbour_id, score)
      ORDER BY t.rank
      ON CONFLICT (intent, product_id, rank) DO UPDATE
        SET neighbour_id = excluded.neighbour_id, score = excluded.score, layer = excluded.layer`.execute(tx);
  }
  await tx
    .deleteFrom('recs_neighbours')
    .where('intent', '=', intent)
    .where('product_id', '=', productId)
    .where('rank', '>=', neighbours.length)
    .execute();
}

/** The persisted counts around one product: its pairs and the item counts of it and its partners. */
async function countsAround(
  db: Executor,
  productId: string,
  signals: readonly CountSignal[],
): Promise<Map<CountSignal, CooccurrenceCounts>> {
  const pairs = await sql<{ signal: CountSignal; product_a: string; product_b: string; count: number }>`
    SELECT signal, product_a, product_b, count FROM recs_pair_counts
      WHERE signal = ANY(${signals}::text[]) AND product_a = ${productId}
    UNION ALL
    SELECT signal, product_a, product_b, count FROM recs_pair_counts
      WHERE signal = ANY(${signals}::text[]) AND product_b = ${productId}`.execute(db);
  const ids = [productId, ...pairs.rows.map((p) => (p.product_a === productId ? p.product_b : p.product_a))];
  const items = await db
    .selectFrom('recs_item_counts')
    .select(['signal', 'product_id', 'count'])
    .where('signal', 'in', signals)
    .where('product_id', 'in', [...new Set(ids)])
    .execute();
  return new Map(
    signals.map((signal) => [
      signal,
      CooccurrenceCounts.fromRows({
        totalBaskets: 0,
        items: items
          .filter((i) => i.signal === signal)
          .map((i) => ({ productId: i.product_id, count: i.count })),
        pairs: pairs.rows
          .filter((p) => p.signal === signal)
          .map((p) => ({ productA: p.product_a, productB: p.product_b, count: p.count })),
      }),
    ]),
  );
}

/**
 * After new orders or views: recomputes the cosine lists of the touched products from the
 * persisted counts, at once. `related` is cosine only, so it is exact; a `bought_together`
 * list that EASE produced is left for the next rebuild (EASE is a whole-catalogue model).
 */
export async function refreshNeighbourLists(
  tx: Executor,
  productIds: readonly string[],
  options: { boughtTogether: boolean },
): Promise<void> {
  const easeModelled = options.boughtTogether
    ? new Set(
        (
          await tx
            .selectFrom('recs_neighbours')
            .select('product_id')
            .distinct()
            .where('intent', '=', 'bought_together')
            .where('layer', '=', 'ease')
            .where('product_id', 'in', productIds.length ? [...productIds] : [''])
            .execute()
        ).map((row) => row.product_id),
      )
    : new Set<string>();
  for (const productId of [...new Set(productIds)].sort()) {
    const counts = await countsAround(tx, productId, ['purchase', 'view']);
    const purchases = counts.get('purchase')!;
    const together = blendCooccurrence([
      { source: purchases, weight: 1 },
      { source: counts.get('view')!, weight: SETTINGS.related.viewWeight },
    ]);
    await writeNeighbourList(
      tx,
      'related',
      productId,
      cosineNeighbours(together, productId, SETTINGS.related.cosine),
      'cosine',
    );
    if (options.boughtTogether && !easeModelled.has(productId)) {
      const scale = SETTINGS.boughtTogether.cosineScale;
      const list = cosineNeighbours(purchases, productId, SETTINGS.boughtTogether.cosine).map((n) => ({
        productId: n.productId,
        score: n.score * scale,
      }));
      await writeNeighbourList(tx, 'bought_together', productId, list, 'cosine');
    }
  }
}

/** Neighbour lists of the seed products, as the serving index (one indexed read). */
export async function loadNeighbours(
  db: Executor,
  intent: NeighbourIntent,
  seeds: readonly string[],
): Promise<NeighbourIndex> {
  const index = new Map<string, ScoredProduct[]>();
  const missing: string[] = [];
  for (const seed of new Set(seeds)) {
    const cached = neighbourCache.get(`${intent}|${seed}`);
    if (cached === undefined) missing.push(seed);
    else if (cached.length > 0) index.set(seed, cached);
  }
  if (missing.length === 0) return index;
  const rows = await db
    .selectFrom('recs_neighbours')
    .select(['product_id', 'neighbour_id', 'score'])
    .where('intent', '=', intent)
    .where('product_id', 'in', missing)
    .orderBy('product_id')
    .orderBy('rank')
    .execute();
  const fetched = new Map<string, ScoredProduct[]>(missing.map((seed) => [seed, []]));
  for (const row of rows)
    fetched.get(row.product_id)?.push({ productId: row.neighbour_id, score: row.score });
  for (const [seed, list] of fetched) {
    neighbourCache.set(`${intent}|${seed}`, list);
    if (list.length > 0) index.set(seed, list);
  }
  return index;
}
