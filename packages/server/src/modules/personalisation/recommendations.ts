import type { Executor } from '../../db/database.js';
import { notFound } from '../../http/problem.js';
import { getConsent } from '../customers/index.js';
import {
  buildContentIndex,
  contentNeighbours,
  type Interaction,
  recommendComplementary,
  recommendForYou,
  recommendRelated,
  type ScoredProduct,
} from './algorithms/index.js';
import { contentCandidates, productTitles } from './catalog-facts.js';
import { strongestSeeds, TRENDING_REASON } from './explain.js';
import { type ShopperRef, shopperHistory } from './history.js';
import { loadNeighbours } from './neighbours.js';
import { onTheShelf, type ShelfQuery } from './sellable.js';
import { SETTINGS } from './settings.js';
import { trendingCache } from './trending-cache.js';
import { trendingScoreAt } from './trending-key.js';
import { TtlCache } from './ttl-cache.js';

export type Intent = 'related' | 'complementary' | 'for_you' | 'trending' | 'recently_viewed';

/** Candidates ranked before the sellable/in-stock filter, so a few unsellable ones never leave a list short. */
const POOL = 60;
/** Extra candidates checked per shelf read, for the few a channel cannot sell right now. */
const SHELF_SLACK = 4;
/** Candidates the content fallback scores for a product without co-occurrence history. */
const CONTENT_CANDIDATES = 100;
// Content similarity moves only with the catalogue: a product's list is kept for a few minutes.
const contentCache = new TtlCache<ScoredProduct[]>(5 * 60_000, 5_000);

async function similarProducts(db: Executor, productId: string): Promise<ScoredProduct[]> {
  const cached = contentCache.get(productId);
  if (cached) return cached;
  const index = buildContentIndex(await contentCandidates(db, productId, CONTENT_CANDIDATES));
  const neighbours = contentNeighbours(index, productId, POOL);
  contentCache.set(productId, neighbours);
  return neighbours;
}

export interface RecommendationQuery extends ShelfQuery {
  intent: Intent;
  shopper: ShopperRef;
  /** The product page's product (related, complementary). */
  productId?: string;
  /** The basket (complementary): the cart's products, already authorised by the caller. */
  basket?: readonly string[];
  limit: number;
}

export interface Recommendation {
  product_id: string;
  handle: string;
  title: string;
  image_url: string | null;
  price: { amount: number; currency: string };
  score: number;
  reason: string;
}

interface Ranked {
  ranked: readonly ScoredProduct[];
  reasonOf: (productId: string) => string;
}

async function trending(db: Executor, channelId: string, limit: number): Promise<ScoredProduct[]> {
  const cached = trendingCache.get(channelId);
  if (cached) return cached;
  const rows = await db
    .selectFrom('recs_trending')
    .select(['product_id', 'rank_key'])
    .where('channel_id', '=', channelId)
    .orderBy('rank_key', 'desc')
    .orderBy('product_id')
    .limit(limit)
    .execute();
  const now = Date.now();
  const list = rows.map((row) => ({
    productId: row.product_id,
    score: trendingScoreAt(row.rank_key, now, SETTINGS.trendingHalfLifeMs),
  }));
  trendingCache.set(channelId, list);
  return list;
}

/** Titles of the seed products, for the reasons; the page's own product must exist (else 404). */
async function seedTitles(
  db: Executor,
  seeds: readonly string[],
  required?: string,
): Promise<Map<string, string>> {
  const titles = await productTitles(db, seeds);
  if (required !== undefined && !titles.has(required)) throw notFound('Product', required);
  return titles;
}

async function rankRelated(
  db: Executor,
  query: RecommendationQuery,
  trending: Promise<ScoredProduct[]>,
): Promise<Ranked> {
  const productId = query.productId!;
  const [titles, index] = await Promise.all([
    seedTitles(db, [productId], productId),
    loadNeighbours(db, 'related', [productId]),
  ]);
  const listed = new Set((index.get(productId) ?? []).map((n) => n.productId));
  // Cold product (few co-views or co-purchases): similar products by content come before trending.
  let similar: ScoredProduct[] = [];
  if (listed.size < query.limit) {
    similar = (await similarProducts(db, productId)).filter((n) => !listed.has(n.productId));
  }
  const similarIds = new Set(similar.map((n) => n.productId));
  const title = titles.get(productId);
  return {
    ranked: recommendRelated(index, productId, { limit: POOL, fallback: [...similar, ...(await trending)] }),
    reasonOf: (id) =>
      listed.has(id)
        ? `viewed or bought together with ${title}`
        : similarIds.has(id)
          ? `similar to ${title}`
          : TRENDING_REASON,
  };
}

async function rankComplementary(
  db: Executor,
  basket: readonly string[],
  trending: Promise<ScoredProduct[]>,
  productId?: string,
): Promise<Ranked> {
  const [titles, index] = await Promise.all([
    seedTitles(db, basket, productId),
    loadNeighbours(db, 'bought_together', basket),
  ]);
  const seedOf = strongestSeeds(index, new Map(basket.map((id) => [id, 1])));
  return {
    ranked: recommendComplementary(index, basket, { limit: POOL, fallback: await trending }),
    reasonOf: (id) => {
      const seed = seedOf.get(id);
      return seed ? `bought together with ${titles.get(seed)}` : TRENDING_REASON;
    },
  };
}

const VERB = { view: 'viewed', cart: 'added to your cart', purchase: 'bought' } as const;

async function consentingHistory(db: Executor, shopper: ShopperRef): Promise<Interaction[]> {
  // A customer who withdrew consent is not personalised from what was kept before.
  if (shopper.customerId && !(await getConsent(db, shopper.customerId)).personalisation) return [];
  return shopperHistory(db, shopper);
}

async function rankForYou(
  db: Executor,
  query: RecommendationQuery,
  trending: Promise<ScoredProduct[]>,
): Promise<Ranked> {
  const history = await consentingHistory(db, query.shopper);
  if (history.length === 0) return { ranked: await trending, reasonOf: () => TRENDING_REASON };
  const latest = new Map<string, Interaction>();
  for (const event of history) if (!latest.has(event.productId)) latest.set(event.productId, event);
  const seeds = [...latest.keys()];
  const [index, titles] = await Promise.all([
    loadNeighbours(db, 'bought_together', seeds),
    productTitles(db, seeds),
  ]);
  const seedOf = strongestSeeds(index, new Map(seeds.map((id) => [id, 1])));
  return {
    ranked: recommendForYou(index, history, {
      ...SETTINGS.forYou,
      now: Date.now(),
      limit: POOL,
      fallback: await trending,
    }),
    reasonOf: (id) => {
      const own = latest.get(id);
      if (own) return `you ${VERB[own.kind]} this`;
      const seed = seedOf.get(id);
      return seed ? `because you ${VERB[latest.get(seed)!.kind]} ${titles.get(seed)}` : TRENDING_REASON;
    },
  };
}

async function rankRecentlyViewed(db: Executor, shopper: ShopperRef): Promise<Ranked> {
  const history = await consentingHistory(db, shopper);
  const viewed = [...new Set(history.filter((e) => e.kind === 'view').map((e) => e.productId))];
  return {
    ranked: viewed.slice(0, POOL).map((productId, i) => ({ productId, score: 1 / (i + 1) })),
    reasonOf: () => 'you viewed this recently',
  };
}

/**
 * `GET /store/v1/recommendations`: rank a pool from the materialised lists (one indexed read
 * of the seeds' lists, one of the channel's trending), then keep what the shopper can buy here
 * and now, best first, each with the reason it was chosen.
 */
export async function recommend(db: Executor, query: RecommendationQuery): Promise<Recommendation[]> {
  // Trending is every list's fallback: read it alongside the intent's own reads.
  const fallback =
    query.intent === 'recently_viewed' ? Promise.resolve([]) : trending(db, query.channelId, POOL);
  fallback.catch(() => {}); // awaited below; a 404 first must not leave it unhandled
  const { ranked, reasonOf } = await (async (): Promise<Ranked> => {
    switch (query.intent) {
      case 'related':
        return rankRelated(db, query, fallback);
      case 'complementary':
        return rankComplementary(db, query.basket ?? [query.productId!], fallback, query.productId);
      case 'for_you':
        return rankForYou(db, query, fallback);
      case 'recently_viewed':
        return rankRecentlyViewed(db, query.shopper);
      case 'trending':
        return { ranked: await fallback, reasonOf: () => TRENDING_REASON };
    }
  })();
  // Most candidates are on the shelf: check a few more than needed (one set-based read, or
  // none when the shelf cache knows them all), and only go further down the ranking when
  // filtering left the list short.
  const result: Recommendation[] = [];
  let checked = 0;
  while (result.length < query.limit && checked < ranked.length) {
    const chunk = ranked.slice(checked, checked + Math.max(query.limit - result.length, 1) + SHELF_SLACK);
    checked += chunk.length;
    const shelf = await onTheShelf(
      db,
      chunk.map((item) => item.productId),
      query,
    );
    for (const item of chunk) {
      const product = shelf.get(item.productId);
      if (!product || result.length === query.limit) continue;
      result.push({
        product_id: product.productId,
        handle: product.handle,
        title: product.title,
        image_url: product.imageUrl,
        price: { amount: product.fromPrice, currency: query.currency },
        score: item.score,
        reason: reasonOf(item.productId),
      });
    }
  }
  return result;
}
