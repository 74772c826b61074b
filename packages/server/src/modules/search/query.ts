import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { type FacetRow, PRICE_BUCKETS } from './facets.js';

/**
 * Most matches a search ranks, sorts and counts into facets. A broad word in a large catalog
 * matches tens of thousands of products, and each costs 10–20 µs to fetch, rank, price and
 * count on the development machine (2 shared vCPUs); past this many the search works on the
 * first SEARCH_CAP matches — keyword matches first — and says so (`total_exact` /
 * `facets_exact` false). At 100,000 products a one-word query then takes about 17 ms in the
 * database at a load average of 5, against 27 ms with a cap of 1,000 and 740 ms uncapped.
 */
export const SEARCH_CAP = 500;

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
  /** Matches after filters, at most SEARCH_CAP. */
  total: number;
  /** False when more than SEARCH_CAP products passed the filters: `total` is a lower bound. */
  totalExact: boolean;
  facets: RawFacets | null;
  /** False when more than SEARCH_CAP products matched the text: facets count the first SEARCH_CAP. */
  facetsExact: boolean;
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
 * The candidate rows: matching documents of the channel (only published products have
 * documents) with their price, stock, relevance and one boolean column per filter, at most
 * SEARCH_CAP of them. With words, the `keywords` index (title, categories, attributes and
 * options) is read first and the whole document's (descriptions, SKUs) only for the rest, so a
 * capped search keeps the strongest matches; without
 * words, the newest products. Both text scans go through a GIN bitmap and stop at the cap.
 */
function candidateScan(
  query: SearchSql,
  columns: RawBuilder<unknown>[],
  filter: RawBuilder<unknown> | null,
): RawBuilder<unknown> {
  const text = query.text;
  const relevance = text
    ? sql`(0.7::float8 * ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', d.keywords, ${text.tsquery}::tsquery, 32)
        + 0.3::float8 * similarity(d.title_lower, ${text.plain}))`
    : sql`1::float8`;
  const priceKey = `${query.channelId}:${query.currency}`;
  const rows = (match: RawBuilder<unknown>) => sql`SELECT * FROM (
      SELECT d.product_id, d.handle, d.title, d.image_url, d.category_ids, d.collection_ids, d.option_values,
        d.attribute_pairs, sp.min_amount, sp.max_amount,
        (d.stock_everywhere OR d.stock_channel_ids @> ARRAY[${query.channelId}]::text[]) AS in_stock,
        ${relevance} AS relevance, ${sql.join(columns)}
      FROM search_documents d
      CROSS JOIN LATERAL (
        SELECT (d.prices -> ${priceKey}::text ->> 0)::bigint AS min_amount,
          (d.prices -> ${priceKey}::text ->> 1)::bigint AS max_amount
      ) sp
      WHERE ${match}
    ) r WHERE ${filter ?? sql`true`}`;
  if (!text)
    return sql`${rows(sql`d.channel_ids @> ARRAY[${query.channelId}]::text[]`)}
      ORDER BY product_id DESC LIMIT ${SEARCH_CAP}`;
  // The channel test is written so that no index serves it: the text index narrows best.
  const inChannel = sql`${query.channelId} = ANY (d.channel_ids)`;
  const tsquery = sql`${text.tsquery}::tsquery`;
  return sql`SELECT * FROM (
      (${rows(sql`d.keywords @@ ${tsquery} AND ${inChannel}`)} LIMIT ${SEARCH_CAP})
      UNION ALL
      (${rows(sql`d.document @@ ${tsquery} AND NOT d.keywords @@ ${tsquery} AND ${inChannel}`)} LIMIT ${SEARCH_CAP})
    ) t LIMIT ${SEARCH_CAP}`;
}

const hasFilters = (f: SearchFilters) =>
  f.category !== undefined ||
  f.collection !== undefined ||
  (f.options?.length ?? 0) > 0 ||
  f.priceMin !== undefined ||
  f.priceMax !== undefined ||
  f.inStock !== undefined;

/**
 * One round trip: the candidates (see candidateScan) scanned once into `base`, then the page by
 * keyset, the total and the facets from it. When the text alone reaches the cap and filters are
 * set, the hits come from a second scan with the filters applied, so a narrow filter still finds
 * every match; the facets stay over `base`.
 */
export async function runSearch(db: Executor, query: SearchSql): Promise<SearchRows> {
  const { columns, all, optionsExceptOwnName } = filterColumns(query);
  const order = ordering(query.sort, query.after);
  const capped = sql`(SELECT count(*) FROM base) >= ${SEARCH_CAP}`;
  const hits = hasFilters(query.filters)
    ? sql`SELECT * FROM base WHERE ${all(null)} AND NOT ${capped}
        UNION ALL
        SELECT * FROM (${candidateScan(query, columns, all(null))}) f WHERE ${capped}`
    : sql`SELECT * FROM base`;
  const statement = sql<{
    page_rows: HitRow[];
    total: number;
    facets_exact: boolean;
    categories?: RawFacets['categories'];
    collections?: RawFacets['collections'];
    options?: RawFacets['options'];
    prices?: RawFacets['prices'];
    stock?: RawFacets['stock'];
  }>`WITH base AS MATERIALIZED (${candidateScan(query, columns, null)}),
    hits AS MATERIALIZED (${hits}),
    page AS (
      SELECT product_id, handle, title, image_url, category_ids, collection_ids, attribute_pairs,
        min_amount, max_amount, in_stock, relevance
      FROM hits WHERE ${order.where} ORDER BY ${order.order} LIMIT ${query.limit + 1}
    )
    SELECT (SELECT coalesce(json_agg(page ORDER BY ${order.order}), '[]') FROM page) AS page_rows,
      (SELECT count(*)::int FROM hits) AS total, NOT ${capped} AS facets_exact
      ${query.facets ? facetSelects(all, optionsExceptOwnName) : sql``}`;
  const result = await inTransaction(db, async (tx) => {
    // The scans stop at SEARCH_CAP rows, and for a LIMIT the planner prefers reading the table
    // in order until enough rows match (10,000 rows for a common word at 100,000 products) to
    // the GIN bitmap that goes straight to them. And estimated far above jit_above_cost for a
    // common word or an unanalysed table, the query was compiled with LLVM: 70 ms, longer than
    // running it.
    await sql`SELECT set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)`.execute(tx);
    return statement.execute(tx);
  });
  const row = result.rows[0];
  return {
    rows: row.page_rows,
    total: row.total,
    totalExact: row.total < SEARCH_CAP,
    facetsExact: row.facets_exact,
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
