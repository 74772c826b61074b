import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { decodeCursor, encodeCursor } from '../../http/pagination.js';
import { ApiError } from '../../http/problem.js';
import { groupOptionFacets, priceBucket } from './facets.js';
import { type Affinities, personalisedRank } from './personalise.js';
import {
  type BaseSort,
  cursorArity,
  cursorValues,
  type HitRow,
  type RawFacets,
  runSearch,
  type SearchFilters,
} from './query.js';
import { matchTokens, queryTokens, type TokenMatch, toTsQuery } from './text.js';
import { lookUpTokens } from './vocabulary.js';

export type SearchSort = BaseSort | 'personalised';

export interface SearchInput {
  channelId: string;
  currency: string;
  q?: string;
  filters: SearchFilters;
  sort?: SearchSort;
  limit: number;
  cursor?: string;
  facets: boolean;
  /** The shopper's affinities, for `sort=personalised`. */
  affinities?: Affinities | null;
}

/** `sort=personalised` re-ranks this many of the best results; later pages follow relevance. */
export const PERSONALISED_WINDOW = 100;

/** How often (at most) a node looks for scheduled prices that started or ended. */
const PRICE_CLOCK_MS = 1_000;
let nextPriceCheck = 0;

/**
 * Triggers keep documents in step with every write, but a scheduled price starting is no
 * write: at most once a second, rebuild the documents whose price window boundary passed.
 */
async function refreshScheduledPrices(db: Executor): Promise<void> {
  const now = Date.now();
  if (now < nextPriceCheck) return;
  nextPriceCheck = now + PRICE_CLOCK_MS;
  await sql`SELECT search_refresh_expired_prices()`.execute(db);
}

/** Resolves the query words against the index vocabulary; null text means "match everything". */
export async function parseQuery(
  db: Executor,
  q: string | undefined,
): Promise<{ text: { tsquery: string; plain: string } | null; matches: TokenMatch[]; impossible: boolean }> {
  if (q === undefined) return { text: null, matches: [], impossible: false };
  const tokens = queryTokens(q);
  const matches = matchTokens(await lookUpTokens(db, tokens));
  const tsquery = toTsQuery(matches);
  if (tsquery === null) return { text: null, matches, impossible: true };
  return { text: { tsquery, plain: tokens.join(' ') }, matches, impossible: false };
}

function presentHit(row: HitRow, currency: string) {
  return {
    id: row.product_id,
    handle: row.handle,
    title: row.title,
    image_url: row.image_url,
    price_range:
      row.min_amount === null || row.max_amount === null
        ? null
        : { currency, min: row.min_amount, max: row.max_amount },
    in_stock: row.in_stock,
    category_ids: row.category_ids,
    collection_ids: row.collection_ids,
    score: row.relevance,
  };
}

function presentFacets(facets: RawFacets | null) {
  if (!facets) return null;
  const stockCount = (inStock: boolean) => facets.stock.find((s) => s.in_stock === inStock)?.count ?? 0;
  return {
    categories: facets.categories.map((f) => ({
      id: f.value,
      handle: f.handle,
      name: f.label,
      count: f.count,
    })),
    collections: facets.collections.map((f) => ({
      id: f.value,
      handle: f.handle,
      title: f.label,
      count: f.count,
    })),
    options: groupOptionFacets(facets.options),
    price: facets.prices.map((f) => ({ ...priceBucket(f.bucket), count: f.count })),
    in_stock: { true: stockCount(true), false: stockCount(false) },
  };
}

function badCursor(): ApiError {
  return new ApiError(400, 'invalid_cursor', 'The cursor is malformed or belongs to another sort order', {
    errors: [{ field: '/querystring/cursor', message: 'is not a cursor this search issued' }],
  });
}

/** The cursor of a base sort: `[sort, ...keyset]`. */
function decodeBaseCursor(cursor: string | undefined, sort: BaseSort): unknown[] | null {
  const values = decodeCursor(cursor, cursorArity(sort) + 1);
  if (values && values[0] !== sort) throw badCursor();
  return values ? values.slice(1) : null;
}

/**
 * Search one channel's published assortment: full-text with typo tolerance and prefixes,
 * filters, disjunctive facets, sorting and keyset pagination; see docs/architecture.md "Search".
 */
export async function searchProducts(db: Executor, input: SearchInput) {
  if (input.sort === 'relevance' && input.q === undefined)
    throw new ApiError(400, 'invalid_request', 'sort=relevance needs a query', {
      errors: [{ field: '/querystring/sort', message: 'relevance needs q' }],
    });
  await refreshScheduledPrices(db);
  const parsed = await parseQuery(db, input.q);
  const corrections = parsed.matches
    .filter((m) => m.corrections.length > 0)
    .map((m) => ({ token: m.token, corrected_to: m.corrections }));
  const baseSort: BaseSort = input.q === undefined ? 'newest' : 'relevance';
  const sort = input.sort ?? baseSort;
  if (parsed.impossible) {
    if (input.cursor) decodeCursor(input.cursor, sort === 'personalised' ? 2 : cursorArity(sort) + 1);
    return {
      data: [],
      has_more: false,
      next_cursor: null,
      total: 0,
      total_exact: true,
      corrections,
      facets: input.facets ? emptyFacets() : null,
      facets_exact: true,
    };
  }
  const common = {
    channelId: input.channelId,
    currency: input.currency,
    text: parsed.text,
    filters: input.filters,
    facets: input.facets,
  };
  if (sort === 'personalised') return personalisedPage(db, input, common, baseSort, corrections);
  const after = decodeBaseCursor(input.cursor, sort);
  const found = await runSearch(db, { ...common, sort, after, limit: input.limit });
  const hasMore = found.rows.length > input.limit;
  const rows = hasMore ? found.rows.slice(0, input.limit) : found.rows;
  const last = rows.at(-1);
  return {
    data: rows.map((row) => presentHit(row, input.currency)),
    has_more: hasMore,
    next_cursor: hasMore && last ? encodeCursor([sort, ...cursorValues(sort, last)]) : null,
    total: found.total,
    total_exact: found.totalExact,
    corrections,
    facets: presentFacets(found.facets),
    facets_exact: found.facetsExact,
  };
}

const emptyFacets = () =>
  presentFacets({ categories: [], collections: [], options: [], prices: [], stock: [] });

/**
 * Personalised pages: the best PERSONALISED_WINDOW results by relevance (newest without q)
 * re-ranked by `personalisedRank`, paged by offset (`['personalised', offset]`); past the
 * window, pages continue in the base order after the window's last row
 * (`['personalised', [keyset…]]`), so every result is reachable exactly once.
 */
async function personalisedPage(
  db: Executor,
  input: SearchInput,
  common: Omit<Parameters<typeof runSearch>[1], 'sort' | 'after' | 'limit'>,
  baseSort: BaseSort,
  corrections: Array<{ token: string; corrected_to: string[] }>,
) {
  const cursor = decodeCursor(input.cursor, 2);
  if (cursor && cursor[0] !== 'personalised') throw badCursor();
  const position = cursor?.[1] ?? 0;
  if (Array.isArray(position)) {
    if (position.length !== cursorArity(baseSort)) throw badCursor();
    const found = await runSearch(db, { ...common, sort: baseSort, after: position, limit: input.limit });
    const hasMore = found.rows.length > input.limit;
    const rows = hasMore ? found.rows.slice(0, input.limit) : found.rows;
    const last = rows.at(-1);
    return {
      data: rows.map((row) => presentHit(row, input.currency)),
      has_more: hasMore,
      next_cursor: hasMore && last ? encodeCursor(['personalised', cursorValues(baseSort, last)]) : null,
      total: found.total,
      total_exact: found.totalExact,
      corrections,
      facets: presentFacets(found.facets),
      facets_exact: found.facetsExact,
    };
  }
  if (
    typeof position !== 'number' ||
    !Number.isInteger(position) ||
    position < 0 ||
    position >= PERSONALISED_WINDOW
  )
    throw badCursor();
  const found = await runSearch(db, { ...common, sort: baseSort, after: null, limit: PERSONALISED_WINDOW });
  const window = found.rows.slice(0, PERSONALISED_WINDOW);
  const beyondWindow = found.rows.length > PERSONALISED_WINDOW;
  const ranked = personalisedRank(
    window.map((row) => ({
      row,
      relevance: row.relevance,
      categoryIds: row.category_ids,
      attributes: row.attribute_pairs,
      price: row.min_amount,
    })),
    input.affinities ?? null,
  );
  const end = position + input.limit;
  const pageRows = ranked.slice(position, end).map((item) => item.row);
  const lastOfWindow = window.at(-1);
  const next =
    end < ranked.length
      ? encodeCursor(['personalised', end])
      : beyondWindow && lastOfWindow
        ? encodeCursor(['personalised', cursorValues(baseSort, lastOfWindow)])
        : null;
  return {
    data: pageRows.map((row) => presentHit(row, input.currency)),
    has_more: next !== null,
    next_cursor: next,
    total: found.total,
    total_exact: found.totalExact,
    corrections,
    facets: presentFacets(found.facets),
    facets_exact: found.facetsExact,
  };
}
