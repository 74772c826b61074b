import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { decodeCursor, encodeCursor, type PageResult } from '../../http/pagination.js';
import { ApiError } from '../../http/problem.js';
import { type PriceScope, selectedPriceSubquery, selectedPricesOfAllVariants } from '../pricing/sql.js';
import { type Affinities, personalisedRank } from '../search/personalise.js';
import { descendantCategoryIds, likePattern } from './products.js';
import type { MediaItem } from './tables.js';

export type StoreSort = 'newest' | 'price_asc' | 'price_desc' | 'title';

export interface StoreListQuery {
  limit: number;
  cursor?: string;
  sort: StoreSort;
  /** Category ID or handle; products in its subcategories match too. */
  category?: string;
  /** Collection ID or handle. */
  collection?: string;
  /** Some variant's price (in the requested currency) lies within [priceMin, priceMax]. */
  priceMin?: number;
  priceMax?: number;
  /** `Size:M` pairs: a variant must match every named option, any of the values given for one. */
  options?: Array<{ name: string; value: string }>;
  q?: string;
}

interface StoreVariantJson {
  id: string;
  sku: string;
  title: string;
  options: Record<string, string>;
  weight_grams: number | null;
  barcode: string | null;
  amount: number | null;
}

interface StoreProductRow {
  id: string;
  handle: string;
  title: string;
  description: string;
  attributes: Record<string, unknown>;
  media: MediaItem[];
  created_at: Date;
  from_price: number | null;
  options: Array<{ name: string; values: string[] }>;
  variants: StoreVariantJson[];
  /** Only with `withFacts`: as search indexes them, for personalised ranking. */
  category_ids?: string[];
  attribute_pairs?: string[];
}

const variantsJson = (productId: RawBuilder<unknown>, scope: PriceScope) => sql`(
  SELECT COALESCE(json_agg(json_build_object('id', v.id, 'sku', v.sku, 'title', v.title,
      'options', v.option_values, 'weight_grams', v.weight_grams, 'barcode', v.barcode, 'amount', sp.amount)
    ORDER BY v.position, v.id), '[]')
  FROM variants v LEFT JOIN LATERAL (${selectedPriceSubquery(sql.ref('v.id'), scope)}) sp ON true
  WHERE v.product_id = ${productId})`;

const optionsJson = (productId: RawBuilder<unknown>) => sql`(
  SELECT COALESCE(json_agg(json_build_object('name', po.name, 'values', po."values")
    ORDER BY po.position, po.id), '[]')
  FROM product_options po WHERE po.product_id = ${productId})`;

/** Each product's lowest selected variant price, for the whole catalog in one hash join. */
const fromPrices = (scope: PriceScope) => sql`SELECT v.product_id, min(sp.amount) AS fp
  FROM (${selectedPricesOfAllVariants(scope)}) sp JOIN variants v ON v.id = sp.variant_id
  GROUP BY v.product_id`;

function optionFilter(options: NonNullable<StoreListQuery['options']>): RawBuilder<unknown> {
  const byName = new Map<string, string[]>();
  for (const { name, value } of options) byName.set(name, [...(byName.get(name) ?? []), value]);
  const conditions = [...byName].map(
    ([name, values]) => sql`(ov.option_values->>${name}) = ANY(${values}::text[])`,
  );
  return sql`EXISTS (SELECT 1 FROM variants ov WHERE ov.product_id = p.id AND ${sql.join(conditions, sql` AND `)})`;
}

/**
 * What personalised ranking matches a product on, by the rules of the search index: its
 * categories with all their ancestors, and `name:value` of its top-level scalar attributes.
 */
const rankingFacts = sql`, ARRAY(
    WITH RECURSIVE up AS (
      SELECT c.id, c.parent_id FROM product_categories pcat JOIN categories c ON c.id = pcat.category_id
      WHERE pcat.product_id = page.id
      UNION SELECT c.id, c.parent_id FROM categories c JOIN up ON c.id = up.parent_id
    ) SELECT id FROM up ORDER BY id) AS category_ids,
  ARRAY(SELECT a.key || ':' || a.value FROM jsonb_each_text(page.attributes) a
    WHERE jsonb_typeof(page.attributes -> a.key) IN ('string', 'number', 'boolean') ORDER BY 1) AS attribute_pairs`;

function sortCursor(query: StoreListQuery): { after: unknown[] | null } {
  const values = decodeCursor(query.cursor, query.sort === 'newest' ? 2 : 3);
  if (values && values[0] !== query.sort)
    throw new ApiError(400, 'invalid_cursor', 'The cursor belongs to another sort order', {
      errors: [{ field: '/querystring/cursor', message: 'was issued for another sort order' }],
    });
  return { after: values ? values.slice(1) : null };
}

/** Keyset predicate and ORDER BY for each sort; unpriced products sort last. */
function ordering(sort: StoreSort, after: unknown[] | null) {
  const id = after ? String(after.at(-1)) : '';
  switch (sort) {
    case 'newest':
      return { where: after ? sql`p.id < ${id}` : sql`true`, order: sql`p.id DESC`, outer: sql`id DESC` };
    case 'title':
      return {
        where: after ? sql`(p.title, p.id) > (${String(after[0])}, ${id})` : sql`true`,
        order: sql`p.title, p.id`,
        outer: sql`title, id`,
      };
    case 'price_asc':
    case 'price_desc': {
      const asc = sort === 'price_asc';
      const cmp = asc ? sql`>` : sql`<`;
      const direction = asc ? sql`ASC` : sql`DESC`;
      const price = after?.[0];
      const where = !after
        ? sql`true`
        : price === null
          ? sql`(pp.fp IS NULL AND p.id ${cmp} ${id})`
          : sql`(pp.fp ${cmp} ${Number(price)} OR (pp.fp = ${Number(price)} AND p.id ${cmp} ${id}) OR pp.fp IS NULL)`;
      return {
        where,
        order: sql`pp.fp ${direction} NULLS LAST, p.id ${direction}`,
        outer: sql`from_price ${direction} NULLS LAST, id ${direction}`,
      };
    }
  }
}

function cursorOf(sort: StoreSort, row: StoreProductRow): unknown[] {
  if (sort === 'newest') return [sort, row.id];
  if (sort === 'title') return [sort, row.title, row.id];
  return [sort, row.from_price, row.id];
}

/**
 * One store list page in one SQL round trip: the page of products (filtered, sorted,
 * keyset-paginated) and, per product, its options and variants with their selected price.
 */
export async function listStoreProducts(
  db: Executor,
  scope: PriceScope,
  query: StoreListQuery,
): Promise<PageResult<StoreProduct>> {
  const { after } = sortCursor(query);
  const { rows, hasMore } = await storePage(db, scope, query, after, false);
  const last = rows.at(-1);
  return {
    data: rows.map((row) => toStoreProduct(row, scope.currency)),
    has_more: hasMore,
    next_cursor: hasMore && last ? encodeCursor(cursorOf(query.sort, last)) : null,
  };
}

async function storePage(
  db: Executor,
  scope: PriceScope,
  query: StoreListQuery,
  after: unknown[] | null,
  withFacts: boolean,
): Promise<{ rows: StoreProductRow[]; hasMore: boolean }> {
  const byPrice = query.sort === 'price_asc' || query.sort === 'price_desc';
  const filters: RawBuilder<unknown>[] = [];
  if (query.category)
    filters.push(sql`EXISTS (SELECT 1 FROM product_categories pcat WHERE pcat.product_id = p.id
      AND pcat.category_id IN (${descendantCategoryIds(query.category)}))`);
  if (query.collection)
    filters.push(sql`EXISTS (SELECT 1 FROM product_collections pcol JOIN collections col ON col.id = pcol.collection_id
      WHERE pcol.product_id = p.id AND (col.id = ${query.collection} OR col.handle = ${query.collection}))`);
  if (query.q) filters.push(sql`p.title ILIKE ${likePattern(query.q)}`);
  if (query.options?.length) filters.push(optionFilter(query.options));
  if (query.priceMin !== undefined || query.priceMax !== undefined)
    filters.push(sql`EXISTS (SELECT 1 FROM variants rv CROSS JOIN LATERAL (${selectedPriceSubquery(sql.ref('rv.id'), scope)}) rp
      WHERE rv.product_id = p.id AND rp.amount >= ${query.priceMin ?? 0} AND rp.amount <= ${query.priceMax ?? Number.MAX_SAFE_INTEGER})`);
  const order = ordering(query.sort, after);
  const result =
    await sql<StoreProductRow>`WITH ${byPrice ? sql`product_price AS (${fromPrices(scope)}),` : sql``} page AS (
      SELECT p.id, p.handle, p.title, p.description, p.attributes, p.media, p.created_at,
        ${byPrice ? sql`pp.fp` : sql`NULL::bigint`} AS from_price
      FROM product_channels pc JOIN products p ON p.id = pc.product_id
      ${byPrice ? sql`LEFT JOIN product_price pp ON pp.product_id = p.id` : sql``}
      WHERE pc.channel_id = ${scope.channelId} AND p.status = 'published'
        ${filters.length ? sql`AND ${sql.join(filters, sql` AND `)}` : sql``}
        AND ${order.where}
      ORDER BY ${order.order}
      LIMIT ${query.limit + 1}
    )
    SELECT page.*, ${optionsJson(sql.ref('page.id'))} AS options, ${variantsJson(sql.ref('page.id'), scope)} AS variants
      ${withFacts ? rankingFacts : sql``}
    FROM page ORDER BY ${order.outer}`.execute(db);
  const hasMore = result.rows.length > query.limit;
  return { rows: hasMore ? result.rows.slice(0, query.limit) : result.rows, hasMore };
}

/** `sort=personalised` re-ranks this many of the newest matching products; later pages stay newest first. */
export const PERSONALISED_WINDOW = 100;

/**
 * `sort=personalised`: the newest PERSONALISED_WINDOW matching products re-ranked for the
 * shopper by search's bounded blend (`personalisedRank`; the list has no relevance, so every
 * candidate counts 1 and ties keep the newest-first order), paged by offset
 * (`['personalised', offset]`). Past the window the cursor is a plain `newest` cursor, so every
 * product is listed exactly once. Without affinities (an anonymous shopper with no history, no
 * consent) the answer is exactly `sort=newest`, cursors included.
 */
export async function listPersonalisedStoreProducts(
  db: Executor,
  scope: PriceScope,
  query: Omit<StoreListQuery, 'sort'>,
  affinities: Affinities | null,
): Promise<PageResult<StoreProduct>> {
  const cursor = decodeCursor(query.cursor, 2);
  if (cursor?.[0] === 'newest' || (!cursor && affinities === null))
    return listStoreProducts(db, scope, { ...query, sort: 'newest' });
  const offset = cursor?.[1] ?? 0;
  if (
    (cursor && cursor[0] !== 'personalised') ||
    typeof offset !== 'number' ||
    !Number.isInteger(offset) ||
    offset < 0 ||
    offset >= PERSONALISED_WINDOW
  )
    throw new ApiError(400, 'invalid_cursor', 'The cursor belongs to another sort order', {
      errors: [{ field: '/querystring/cursor', message: 'was issued for another sort order' }],
    });
  const window = await storePage(
    db,
    scope,
    { ...query, sort: 'newest', limit: PERSONALISED_WINDOW },
    null,
    true,
  );
  const ranked = personalisedRank(
    window.rows.map((row) => {
      const amounts = row.variants.flatMap((v) => (v.amount === null ? [] : [v.amount]));
      return {
        row,
        relevance: 1,
        categoryIds: row.category_ids ?? [],
        attributes: row.attribute_pairs ?? [],
        price: amounts.length ? Math.min(...amounts) : null,
      };
    }),
    affinities,
  );
  const end = offset + query.limit;
  const lastOfWindow = window.rows.at(-1);
  const next =
    end < ranked.length
      ? encodeCursor(['personalised', end])
      : window.hasMore && lastOfWindow
        ? encodeCursor(cursorOf('newest', lastOfWindow))
        : null;
  return {
    data: ranked.slice(offset, end).map(({ row }) => toStoreProduct(row, scope.currency)),
    has_more: next !== null,
    next_cursor: next,
  };
}

function toStoreProduct(row: StoreProductRow, currency: string) {
  const amounts = row.variants.flatMap((v) => (v.amount === null ? [] : [v.amount]));
  return {
    id: row.id,
    handle: row.handle,
    title: row.title,
    description: row.description,
    attributes: row.attributes,
    media: row.media,
    options: row.options,
    price_range: amounts.length ? { currency, min: Math.min(...amounts), max: Math.max(...amounts) } : null,
    created_at: new Date(row.created_at).toISOString(),
    variants: row.variants.map((v) => ({
      id: v.id,
      sku: v.sku,
      title: v.title,
      options: v.options,
      weight_grams: v.weight_grams,
      barcode: v.barcode,
      price: v.amount === null ? null : { amount: v.amount, currency },
    })),
  };
}

export type StoreProduct = ReturnType<typeof toStoreProduct>;

/** A product as the channel sees it, by ID (`prod_…`) or handle; null when not visible. */
export async function getStoreProduct(
  db: Executor,
  scope: PriceScope,
  idOrHandle: string,
): Promise<(StoreProduct & { category_ids: string[]; collection_ids: string[] }) | null> {
  // Handles cannot contain `_`, so the prefix tells an ID from a handle.
  const match = idOrHandle.startsWith('prod_') ? sql`p.id = ${idOrHandle}` : sql`p.handle = ${idOrHandle}`;
  const result = await sql<StoreProductRow & { category_ids: string[]; collection_ids: string[] }>`
    SELECT p.id, p.handle, p.title, p.description, p.attributes, p.media, p.created_at, NULL::bigint AS from_price,
      ${optionsJson(sql.ref('p.id'))} AS options, ${variantsJson(sql.ref('p.id'), scope)} AS variants,
      ARRAY(SELECT category_id FROM product_categories WHERE product_id = p.id ORDER BY category_id) AS category_ids,
      ARRAY(SELECT collection_id FROM product_collections WHERE product_id = p.id ORDER BY collection_id) AS collection_ids
    FROM products p
    WHERE ${match} AND p.status = 'published'
      AND EXISTS (SELECT 1 FROM product_channels pc WHERE pc.product_id = p.id AND pc.channel_id = ${scope.channelId})`.execute(
    db,
  );
  const row = result.rows[0];
  if (!row) return null;
  return {
    ...toStoreProduct(row, scope.currency),
    category_ids: row.category_ids,
    collection_ids: row.collection_ids,
  };
}
