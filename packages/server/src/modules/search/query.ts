import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { type FacetRow, PRICE_BUCKETS } from './facets.js';

/** Orders the SQL itself can page through; `personalised` re-ranks one of these (service.ts). */
export type BaseSort = 'relevance' | 'newest' | 'price_asc' | 'price_desc' | 'title';

export interface SearchFilters {
  /** Category ID or handle; its descendants match too. */
  category?: string;
  /** Collection ID or handle. */
  collection?: string;
  /** Product-level: for every named option, some variant has one of the values given for it. */
  options?: ReadonlyArray<{ name: string; value: string }>;
  /** The from-price (lowest variant price) lies within [priceMin, priceMax]. */
  priceMin?: number;
  priceMax?: number;
  inStock?: boolean;
}

export interface SearchSql {
  channelId: string;
  currency: string;
  /** The tsquery (text.ts) and the normalised query text, or null to match everything. */
  text: { tsquery: string; plain: string } | null;
  filters: SearchFilters;
  sort: BaseSort;
  /** Keyset values of the last row of the previous page (see cursorValues). */
  after: unknown[] | null;
  limit: number;
  facets: boolean;
}

export interface HitRow {
  product_id: string;
  handle: string;
  title: string;
  image_url: string | null;
  category_ids: string[];
  collection_ids: string[];
  attribute_pairs: string[];
  min_amount: number | null;
  max_amount: number | null;
  in_stock: boolean;
  relevance: number;
}

export interface RawFacets {
  categories: Array<FacetRow & { label: string | null; handle: string | null }>;
  collections: Array<FacetRow & { label: string | null; handle: string | null }>;
  options: FacetRow[];
  /** `value` is the 1-based width_bucket index over PRICE_BUCKETS. */
  prices: Array<{ bucket: number; count: number }>;
  stock: Array<{ in_stock: boolean; count: number }>;
}

export interface SearchRows {
  rows: HitRow[];
  total: number;
  facets: RawFacets | null;
}

/** Keyset values of a row for a sort: what the next page's cursor carries. */
export function cursorValues(sort: BaseSort, row: HitRow): unknown[] {
  switch (sort) {
    case 'relevance':
      return [row.relevance, row.product_id];
    case 'newest':
      return [row.product_id];
    case 'title':
      return [row.title, row.product_id];
    case 'price_asc':
    case 'price_desc':
      return [row.min_amount, row.product_id];
  }
}

export const cursorArity = (sort: BaseSort) => (sort === 'newest' ? 1 : 2);

/** Keyset predicate and ORDER BY over the `base` columns; IDs break ties, unpriced sorts last. */
function ordering(
  sort: BaseSort,
  after: unknown[] | null,
): { where: RawBuilder<unknown>; order: RawBuilder<unknown> } {
  const id = after ? String(after.at(-1)) : '';
  switch (sort) {
    case 'relevance':
      return {
        where: after ? sql`(relevance, product_id) < (${Number(after[0])}::float8, ${id})` : sql`true`,
        order: sql`relevance DESC, product_id DESC`,
      };
    case 'newest':
      return { where: after ? sql`product_id < ${id}` : sql`true`, order: sql`product_id DESC` };
    case 'title':
      return {
        where: after ? sql`(title, product_id) > (${String(after[0])}, ${id})` : sql`true`,
        order: sql`title, product_id`,
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
          ? sql`(min_amount IS NULL AND product_id ${cmp} ${id})`
          : sql`(min_amount ${cmp} ${Number(price)} OR (min_amount = ${Number(price)} AND product_id ${cmp} ${id}) OR min_amount IS NULL)`;
      return { where, order: sql`min_amount ${direction} NULLS LAST, product_id ${direction}` };
    }
  }
}

const labelId = (kind: 'category' | 'collection', idOrHandle: string) =>
  sql`(SELECT id FROM search_labels WHERE kind = ${kind} AND (id = ${idOrHandle} OR handle = ${idOrHandle}))`;

/**
 * Each filter as a boolean column of `base`, so one materialised scan serves the page, the
 * total and every facet. Facets are disjunctive: a facet's counts apply every filter but its
 * own, so each count is exactly the size of the result with that facet set to that value.
 */
function filterColumns(query: SearchSql) {
  const f = query.filters;
  const optionNames = [...new Set((f.options ?? []).map((o) => o.name))];
  const columns: RawBuilder<unknown>[] = [
    sql`${f.category ? sql`d.category_ids @> ARRAY[${labelId('category', f.category)}]` : sql`true`} AS f_category`,
    sql`${f.collection ? sql`d.collection_ids @> ARRAY[${labelId('collection', f.collection)}]` : sql`true`} AS f_collection`,
    sql`${
      f.priceMin !== undefined || f.priceMax !== undefined
        ? sql`coalesce(sp.min_amount BETWEEN ${f.priceMin ?? 0} AND ${f.priceMax ?? Number.MAX_SAFE_INTEGER}, false)`
        : sql`true`
    } AS f_price`,
    ...optionNames.map((name, index) => {
      const pairs = (f.options ?? []).filter((o) => o.name === name).map((o) => `${name}:${o.value}`);
      return sql`d.option_values && ${pairs}::text[] AS ${sql.ref(`f_opt_${index}`)}`;
    }),
  ];
  const stock = f.inStock === undefined ? sql`true` : sql`in_stock = ${f.inStock}`;
  const optionPasses = optionNames.map((_, index) => sql.ref(`f_opt_${index}`));
  const all = (except: 'category' | 'collection' | 'price' | 'stock' | 'options' | null) =>
    sql.join(
      [
        except === 'category' ? sql`true` : sql`f_category`,
        except === 'collection' ? sql`true` : sql`f_collection`,
        except === 'price' ? sql`true` : sql`f_price`,
        except === 'stock' ? sql`true` : stock,
        ...(except === 'options' ? [] : optionPasses),
      ],
      sql` AND `,
    );
  // An option value is counted under every option filter except the one of its own name.
  const optionsExceptOwnName = sql.join(
    [
      sql`true`,
      ...optionNames.map(
        (name, index) => sql`(split_part(v, ':', 1) = ${name} OR ${sql.ref(`f_opt_${index}`)})`,
      ),
    ],
    sql` AND `,
  );
  return { columns, all, optionsExceptOwnName };
}

function facetSelects(
  all: ReturnType<typeof filterColumns>['all'],
  optionsExceptOwnName: RawBuilder<unknown>,
) {
  const labelled = (column: 'category_ids' | 'collection_ids', except: 'category' | 'collection') => sql`(
    SELECT coalesce(json_agg(json_build_object('value', f.v, 'count', f.n, 'label', l.name, 'handle', l.handle)
      ORDER BY f.n DESC, f.v), '[]')
    FROM (SELECT v, count(*)::int AS n FROM base, unnest(base.${sql.ref(column)}) v WHERE ${all(except)}
      GROUP BY v ORDER BY n DESC, v LIMIT 100) f
    LEFT JOIN search_labels l ON l.id = f.v)`;
  return sql`,
    ${labelled('category_ids', 'category')} AS categories,
    ${labelled('collection_ids', 'collection')} AS collections,
    (SELECT coalesce(json_agg(json_build_object('value', f.v, 'count', f.n) ORDER BY f.n DESC, f.v), '[]')
      FROM (SELECT v, count(*)::int AS n FROM base, unnest(base.option_values) v
        WHERE ${all('options')} AND ${optionsExceptOwnName} GROUP BY v ORDER BY n DESC, v LIMIT 300) f) AS options,
    (SELECT coalesce(json_agg(json_build_object('bucket', f.b, 'count', f.n) ORDER BY f.b), '[]')
      FROM (SELECT width_bucket(min_amount, ${[...PRICE_BUCKETS]}::bigint[]) AS b, count(*)::int AS n FROM base
        WHERE ${all('price')} AND min_amount IS NOT NULL GROUP BY b) f) AS prices,
    (SELECT coalesce(json_agg(json_build_object('in_stock', f.s, 'count', f.n) ORDER BY f.s DESC), '[]')
      FROM (SELECT in_stock AS s, count(*)::int AS n FROM base WHERE ${all('stock')} GROUP BY in_stock) f) AS stock`;
}

/**
 * One round trip: the matching documents of the channel (text, channel, published — only
 * published products have documents) scanned once into `base`, then the page by keyset, the
 * total and the facets from it.
 */
export async function runSearch(db: Executor, query: SearchSql): Promise<SearchRows> {
  const { columns, all, optionsExceptOwnName } = filterColumns(query);
  const order = ordering(query.sort, query.after);
  const text = query.text;
  const relevance = text
    ? sql`(0.7::float8 * ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', d.document, ${text.tsquery}::tsquery, 32)
        + 0.3::float8 * similarity(d.title_lower, ${text.plain}))`
    : sql`1::float8`;
  const result = await sql<{
    page_rows: HitRow[];
    total: number;
    categories?: RawFacets['categories'];
    collections?: RawFacets['collections'];
    options?: RawFacets['options'];
    prices?: RawFacets['prices'];
    stock?: RawFacets['stock'];
  }>`WITH base AS MATERIALIZED (
      SELECT d.product_id, d.handle, d.title, d.image_url, d.category_ids, d.collection_ids, d.option_values,
        d.attribute_pairs, sp.min_amount, sp.max_amount,
        (d.stock_everywhere OR d.stock_channel_ids @> ARRAY[${query.channelId}]::text[]) AS in_stock,
        ${relevance} AS relevance, ${sql.join(columns)}
      FROM search_documents d
      -- A primary-key probe per match, whatever the planner believes about table sizes.
      LEFT JOIN LATERAL (
        SELECT p.min_amount, p.max_amount FROM search_prices p
        WHERE p.channel_id = ${query.channelId} AND p.currency = ${query.currency} AND p.product_id = d.product_id
        LIMIT 1 -- keeps the subquery correlated (not flattened into a join)
      ) sp ON true
      WHERE ${
        text
          ? // With words, the text index narrows best; the channel test (written so no index
            // serves it) then runs on those matches only.
            sql`d.document @@ ${text.tsquery}::tsquery AND ${query.channelId} = ANY (d.channel_ids)`
          : sql`d.channel_ids @> ARRAY[${query.channelId}]::text[]`
      }
    ),
    hits AS (SELECT * FROM base WHERE ${all(null)}),
    page AS (
      SELECT product_id, handle, title, image_url, category_ids, collection_ids, attribute_pairs,
        min_amount, max_amount, in_stock, relevance
      FROM hits WHERE ${order.where} ORDER BY ${order.order} LIMIT ${query.limit + 1}
    )
    SELECT (SELECT coalesce(json_agg(page ORDER BY ${order.order}), '[]') FROM page) AS page_rows,
      (SELECT count(*)::int FROM hits) AS total
      ${query.facets ? facetSelects(all, optionsExceptOwnName) : sql``}`.execute(db);
  const row = result.rows[0];
  return {
    rows: row.page_rows,
    total: row.total,
    facets: query.facets
      ? {
          categories: row.categories ?? [],
          collections: row.collections ?? [],
          options: row.options ?? [],
          prices: row.prices ?? [],
          stock: row.stock ?? [],
        }
      : null,
  };
}
