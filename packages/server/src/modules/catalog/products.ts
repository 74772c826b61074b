import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { staleVersion } from '../../http/concurrency.js';
import { decodeCursor, type PageResult, toPage } from '../../http/pagination.js';
import { type FieldError, invalid, notFound } from '../../http/problem.js';
import { newId } from '../../lib/ids.js';
import { type PriceInput, priceChannelErrors, priceInputErrors } from '../pricing/service.js';
import { isUniqueViolation } from './db-errors.js';
import {
  duplicateSkuErrors,
  emitProductEvent,
  handleTaken,
  type ProductGraph,
  variantOptionErrors,
  writeProductGraphs,
} from './graph.js';
import { loadProducts, type PresentedProduct } from './present.js';
import { unknownChannelErrors, unknownReferenceErrors } from './references.js';
import type { MediaItem, ProductStatus } from './tables.js';

export interface VariantInput {
  sku: string;
  title?: string;
  options?: Record<string, string>;
  barcode?: string | null;
  weight_grams?: number | null;
  position?: number;
  prices?: PriceInput[];
}

export interface ProductInput {
  handle: string;
  title: string;
  description?: string;
  status?: ProductStatus;
  attributes?: Record<string, unknown>;
  media?: Array<{ url: string; alt?: string | null }>;
  options?: Array<{ name: string; values: string[]; position?: number }>;
  variants?: VariantInput[];
  category_ids?: string[];
  collection_ids?: string[];
  channel_ids?: string[];
}

export type ProductPatch = Partial<Omit<ProductInput, 'options' | 'variants'>>;

const toMedia = (media: ProductInput['media']): MediaItem[] =>
  (media ?? []).map((item) => ({ url: item.url, alt: item.alt ?? null }));

async function referenceErrors(db: Executor, input: ProductPatch): Promise<FieldError[]> {
  return [
    ...(await unknownReferenceErrors(db, 'categories', input.category_ids, '/body/category_ids')),
    ...(await unknownReferenceErrors(db, 'collections', input.collection_ids, '/body/collection_ids')),
    ...(await unknownChannelErrors(db, input.channel_ids, '/body/channel_ids')),
  ];
}

export async function createProduct(db: Executor, input: ProductInput): Promise<PresentedProduct> {
  const options = input.options ?? [];
  const variants = input.variants ?? [];
  const variantField = (index: number) => `/body/variants/${index}`;
  const prices = variants.flatMap((variant, v) =>
    (variant.prices ?? []).map((price, p) => ({ price, field: `${variantField(v)}/prices/${p}` })),
  );
  const optionNames = new Set<string>();
  const errors: FieldError[] = [];
  options.forEach((option, index) => {
    if (optionNames.has(option.name))
      errors.push({ field: `/body/options/${index}/name`, message: 'appears twice in this product' });
    optionNames.add(option.name);
  });
  errors.push(
    ...variantOptionErrors(options, variants, variantField),
    ...duplicateSkuErrors(variants, variantField),
    ...prices.flatMap(({ price, field }) => priceInputErrors(price, field)),
    ...(await priceChannelErrors(db, prices)),
    ...(await referenceErrors(db, input)),
  );
  if (errors.length > 0) throw invalid('The product is not valid', errors);

  const graph: ProductGraph = {
    id: newId('prod'),
    isNew: true,
    handle: input.handle,
    title: input.title,
    description: input.description ?? '',
    status: input.status ?? 'draft',
    attributes: input.attributes ?? {},
    media: toMedia(input.media),
    options: options.map((option, index) => ({
      id: newId('opt'),
      name: option.name,
      values: option.values,
      position: option.position ?? index,
    })),
    variants: variants.map((variant, index) => ({
      id: newId('var'),
      sku: variant.sku,
      title: variant.title ?? '',
      options: variant.options ?? {},
      barcode: variant.barcode ?? null,
      weight_grams: variant.weight_grams ?? null,
      position: variant.position ?? index,
      prices: variant.prices ?? [],
    })),
    categoryIds: input.category_ids ?? [],
    collectionIds: input.collection_ids ?? [],
    channelIds: input.channel_ids ?? [],
  };
  return inTransaction(db, async (tx) => {
    await writeProductGraphs(tx, [graph]);
    return getProduct(tx, graph.id);
  });
}

export async function getProduct(db: Executor, id: string): Promise<PresentedProduct> {
  const [product] = await loadProducts(db, [id]);
  if (!product) throw notFound('Product', id);
  return product;
}

export async function updateProduct(
  db: Executor,
  id: string,
  patch: ProductPatch,
  expectedVersion: number | null,
): Promise<PresentedProduct> {
  const errors = await referenceErrors(db, patch);
  if (errors.length > 0) throw invalid('The product is not valid', errors);
  return inTransaction(db, async (tx) => {
    const current = await getProduct(tx, id);
    if (expectedVersion !== null && expectedVersion !== current.version) throw staleVersion(current);
    const { category_ids, collection_ids, channel_ids, media, attributes, ...scalars } = patch;
    try {
      const updated = await tx
        .updateTable('products')
        .set({
          ...scalars,
          ...(media ? { media: JSON.stringify(toMedia(media)) as never } : {}),
          ...(attributes ? { attributes: JSON.stringify(attributes) as never } : {}),
          version: current.version + 1,
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .where('version', '=', current.version)
        .returning('id')
        .executeTakeFirst();
      if (!updated) throw staleVersion(await getProduct(tx, id));
    } catch (error) {
      if (isUniqueViolation(error, 'products_handle_key')) throw handleTaken(patch.handle ?? '');
      throw error;
    }
    await replaceLinks(tx, id, 'product_categories', 'category_id', category_ids);
    await replaceLinks(tx, id, 'product_collections', 'collection_id', collection_ids);
    await replaceLinks(tx, id, 'product_channels', 'channel_id', channel_ids);
    const product = await getProduct(tx, id);
    await emitProductEvent(tx, 'product.updated', { ...product, channelIds: product.channel_ids });
    return product;
  });
}

async function replaceLinks(
  tx: Executor,
  productId: string,
  table: 'product_categories' | 'product_collections' | 'product_channels',
  column: 'category_id' | 'collection_id' | 'channel_id',
  ids: string[] | undefined,
): Promise<void> {
  if (ids === undefined) return;
  await tx.deleteFrom(table).where('product_id', '=', productId).execute();
  if (ids.length === 0) return;
  await sql`INSERT INTO ${sql.table(table)} (product_id, ${sql.ref(column)})
    SELECT ${productId}, unnest(${ids}::text[])`.execute(tx);
}

export async function deleteProduct(db: Executor, id: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    const row = await tx.deleteFrom('products').where('id', '=', id).returningAll().executeTakeFirst();
    if (!row) throw notFound('Product', id);
    await emitProductEvent(tx, 'product.deleted', row);
  });
}

/** Marks the product changed (its options or variants moved) so If-Match on it notices. */
export async function touchProduct(tx: Executor, id: string): Promise<void> {
  const row = await tx
    .updateTable('products')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: new Date() }))
    .where('id', '=', id)
    .returning(['id', 'handle', 'status'])
    .executeTakeFirst();
  if (!row) throw notFound('Product', id);
  await emitProductEvent(tx, 'product.updated', row);
}

export interface AdminProductQuery {
  limit: number;
  cursor?: string;
  status?: ProductStatus;
  q?: string;
  category_id?: string;
}

/** Admin list, newest first; `category_id` includes its descendants. */
export async function listProducts(
  db: Executor,
  query: AdminProductQuery,
): Promise<PageResult<PresentedProduct>> {
  const after = decodeCursor(query.cursor, 1);
  let select = db
    .selectFrom('products')
    .select('id')
    .orderBy('id', 'desc')
    .limit(query.limit + 1);
  if (after) select = select.where('id', '<', String(after[0]));
  if (query.status) select = select.where('status', '=', query.status);
  if (query.q)
    select = select.where(
      sql<boolean>`(title ILIKE ${likePattern(query.q)} OR handle ILIKE ${likePattern(query.q)})`,
    );
  if (query.category_id) {
    const categoryIds = descendantCategoryIds(query.category_id);
    select = select.where('id', 'in', (eb) =>
      eb
        .selectFrom('product_categories')
        .select('product_id')
        .where(sql<boolean>`category_id IN (${categoryIds})`),
    );
  }
  const ids = (await select.execute()).map((row) => row.id);
  const page = toPage(ids, query.limit, (id) => [id]);
  return { ...page, data: await loadProducts(db, page.data) };
}

/** `%q%` with LIKE's wildcards taken literally. */
export const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** SQL for a category (by id or handle) and all categories below it. */
export const descendantCategoryIds = (idOrHandle: string) => sql`WITH RECURSIVE tree AS (
    SELECT id FROM categories WHERE id = ${idOrHandle} OR handle = ${idOrHandle}
    UNION ALL SELECT c.id FROM categories c JOIN tree ON c.parent_id = tree.id
  ) SELECT id FROM tree`;
