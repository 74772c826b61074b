import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { ContentProduct } from './algorithms/index.js';
import { TtlCache } from './ttl-cache.js';

/*
 * The few catalog reads the catalog module exports no function for yet (a product's
 * variant IDs, category/attribute facts, same-category candidates). They are kept in this
 * one file, read-only, so they can move behind catalog functions without touching the rest.
 */

/** Which of `ids` are products at all (any status): events naming others are refused. */
export async function existingProductIds(db: Executor, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('products')
    .select('id')
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Set(rows.map((row) => row.id));
}

// A product's variants change rarely and a stale list can only miss a variant added in the
// last minute (a removed one is no longer sellable anyway), so the lookup is memoised per node.
const variantIdCache = new TtlCache<string[]>(60_000, 50_000);

/** Variant IDs per product, for the catalog's `getSellableVariants` and inventory's `getAvailability`. */
export async function variantIdsOfProducts(
  db: Executor,
  productIds: readonly string[],
): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  const missing: string[] = [];
  for (const productId of new Set(productIds)) {
    const cached = variantIdCache.get(productId);
    if (cached) result.set(productId, cached);
    else missing.push(productId);
  }
  if (missing.length === 0) return result;
  const rows = await db
    .selectFrom('variants')
    .select(['id', 'product_id'])
    .where('product_id', 'in', missing)
    .orderBy('product_id')
    .orderBy('id')
    .execute();
  const fetched = new Map<string, string[]>(missing.map((id) => [id, []]));
  for (const row of rows) fetched.get(row.product_id)!.push(row.id);
  for (const [productId, variantIds] of fetched) {
    variantIdCache.set(productId, variantIds);
    if (variantIds.length > 0) result.set(productId, variantIds);
  }
  return result;
}

export interface ProductFacts {
  productId: string;
  title: string;
  categoryIds: string[];
  /** `name:value` of the top-level scalar attributes, as search indexes them (`brand:Acme`). */
  attributePairs: string[];
}

const FACTS_COLUMNS = sql`p.id AS product_id, p.title,
  ARRAY(SELECT category_id FROM product_categories WHERE product_id = p.id ORDER BY category_id) AS category_ids,
  ARRAY(SELECT a.key || ':' || a.value FROM jsonb_each_text(p.attributes) a
        WHERE jsonb_typeof(p.attributes -> a.key) IN ('string', 'number', 'boolean') ORDER BY 1) AS attribute_pairs`;

interface FactsRow {
  product_id: string;
  title: string;
  category_ids: string[];
  attribute_pairs: string[];
}

const toFacts = (row: FactsRow): ProductFacts => ({
  productId: row.product_id,
  title: row.title,
  categoryIds: row.category_ids,
  attributePairs: row.attribute_pairs,
});

export async function productFacts(db: Executor, productIds: readonly string[]): Promise<ProductFacts[]> {
  if (productIds.length === 0) return [];
  const rows = await sql<FactsRow>`SELECT ${FACTS_COLUMNS} FROM products p
    WHERE p.id = ANY(${[...new Set(productIds)]}::text[])`.execute(db);
  return rows.rows.map(toFacts);
}

/** Members read per category of the product when looking for products that share it. */
const CATEGORY_SAMPLE = 1_000;

// The background sample is the same for every product: re-read at most once a minute per node.
const backgroundCache = new TtlCache<FactsRow[]>(60_000, 16);

async function newestFacts(db: Executor, limit: number): Promise<FactsRow[]> {
  const cached = backgroundCache.get(String(limit));
  if (cached) return cached;
  const rows = await sql<FactsRow>`SELECT ${FACTS_COLUMNS} FROM products p
    WHERE p.status = 'published' ORDER BY p.status, p.id DESC LIMIT ${limit}`.execute(db);
  backgroundCache.set(String(limit), rows.rows);
  return rows.rows;
}

/**
 * Content-similarity candidates for a product nobody has bought or viewed with others yet:
 * the product itself, published products sharing one of its categories (most shared first,
 * among the newest CATEGORY_SAMPLE members of each category, so a category of 50,000 products
 * costs what one of 1,000 does), and the newest published products as a background sample, so
 * that the scorer's IDF tells a feature the whole shelf shares from one only these products
 * share. The sharing products are read by primary key after gathering their IDs: a filter of
 * the form `id = x OR id IN (…)` scans the whole products table.
 */
export async function contentCandidates(
  db: Executor,
  productId: string,
  limit: number,
): Promise<ContentProduct[]> {
  const [own, background] = await Promise.all([
    sql<FactsRow>`
      WITH shared AS (
        SELECT s.product_id, count(*) AS n
        FROM product_categories mine
        CROSS JOIN LATERAL (
          SELECT pc.product_id FROM product_categories pc
          WHERE pc.category_id = mine.category_id AND pc.product_id <> ${productId}
          ORDER BY pc.product_id DESC LIMIT ${CATEGORY_SAMPLE}
        ) s
        WHERE mine.product_id = ${productId}
        GROUP BY s.product_id ORDER BY n DESC, s.product_id LIMIT ${limit}
      )
      SELECT ${FACTS_COLUMNS} FROM products p WHERE p.id = ${productId}
      UNION ALL
      SELECT ${FACTS_COLUMNS} FROM shared JOIN products p ON p.id = shared.product_id
      WHERE p.status = 'published'`.execute(db),
    newestFacts(db, limit),
  ]);
  const rows = new Map<string, FactsRow>();
  for (const row of [...own.rows, ...background])
    if (!rows.has(row.product_id)) rows.set(row.product_id, row);
  return [...rows.values()].map((row) => ({
    productId: row.product_id,
    title: row.title,
    categories: row.category_ids,
    attributes: Object.fromEntries(
      row.attribute_pairs.map((pair) => {
        const at = pair.indexOf(':');
        return [pair.slice(0, at), pair.slice(at + 1)];
      }),
    ),
  }));
}

// Titles name the seeds in reasons ("bought together with …") and tell a product page's product
// exists; a renamed product reads its old title for at most a minute. Only found titles are kept,
// so an unknown product is always a 404.
const titleCache = new TtlCache<string>(60_000, 50_000);

/** Product titles, for reasons such as "bought together with Espresso cups". */
export async function productTitles(
  db: Executor,
  productIds: readonly string[],
): Promise<Map<string, string>> {
  const titles = new Map<string, string>();
  const missing: string[] = [];
  for (const id of new Set(productIds)) {
    const cached = titleCache.get(id);
    if (cached === undefined) missing.push(id);
    else titles.set(id, cached);
  }
  if (missing.length === 0) return titles;
  const rows = await db.selectFrom('products').select(['id', 'title']).where('id', 'in', missing).execute();
  for (const row of rows) {
    titleCache.set(row.id, row.title);
    titles.set(row.id, row.title);
  }
  return titles;
}

/** The products behind cart lines (a cart line names only its variant). */
export async function productIdsOfVariants(db: Executor, variantIds: readonly string[]): Promise<string[]> {
  if (variantIds.length === 0) return [];
  const rows = await db
    .selectFrom('variants')
    .select('product_id')
    .distinct()
    .where('id', 'in', [...new Set(variantIds)])
    .execute();
  return rows.map((row) => row.product_id);
}
