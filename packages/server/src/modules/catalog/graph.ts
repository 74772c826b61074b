import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { conflict, type FieldError } from '../../http/problem.js';
import { emitEvent } from '../events/outbox.js';
import { type PriceInput, replacePrices } from '../pricing/service.js';
import { isUniqueViolation } from './db-errors.js';
import type { MediaItem, ProductStatus } from './tables.js';

/**
 * A product's whole state with every reference resolved to an ID. Creating a product and
 * importing one both end here, so both write through the same bulk statements.
 */
export interface ProductGraph {
  id: string;
  isNew: boolean;
  handle: string;
  title: string;
  description: string;
  status: ProductStatus;
  attributes: Record<string, unknown>;
  media: MediaItem[];
  options: Array<{ id: string; name: string; values: string[]; position: number }>;
  variants: Array<{
    id: string;
    sku: string;
    title: string;
    options: Record<string, string>;
    barcode: string | null;
    weight_grams: number | null;
    position: number;
    prices: PriceInput[];
  }>;
  categoryIds: string[];
  collectionIds: string[];
  channelIds: string[];
}

const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;

/** Option values must name the product's options, use declared values, and be unique per variant. */
export function variantOptionErrors(
  options: ReadonlyArray<{ name: string; values: readonly string[] }>,
  variants: ReadonlyArray<{ options?: Record<string, string> }>,
  field: (index: number) => string,
): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Map<string, number>();
  variants.forEach((variant, index) => {
    const values = variant.options ?? {};
    for (const [name, value] of Object.entries(values)) {
      const option = options.find((o) => o.name === name);
      if (!option)
        errors.push({ field: `${field(index)}/options/${name}`, message: 'is not an option of the product' });
      else if (!option.values.includes(value))
        errors.push({
          field: `${field(index)}/options/${name}`,
          message: `must be one of ${option.values.join(', ')}`,
        });
    }
    for (const option of options) {
      if (!(option.name in values))
        errors.push({ field: `${field(index)}/options/${option.name}`, message: 'is required' });
    }
    if (options.length === 0) return;
    const combination = JSON.stringify(options.map((o) => values[o.name] ?? null));
    const first = seen.get(combination);
    if (first !== undefined)
      errors.push({
        field: `${field(index)}/options`,
        message: `repeats the option values of variant ${first}`,
      });
    else seen.set(combination, index);
  });
  return errors;
}

export function duplicateSkuErrors(
  variants: ReadonlyArray<{ sku: string }>,
  field: (index: number) => string,
): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  variants.forEach((variant, index) => {
    if (seen.has(variant.sku))
      errors.push({ field: `${field(index)}/sku`, message: 'appears twice in this product' });
    seen.add(variant.sku);
  });
  return errors;
}

export const skuTaken = (detail = 'A variant with this SKU already exists') => conflict('sku_taken', detail);
export const handleTaken = (handle: string) =>
  conflict('handle_taken', `Another product already uses the handle ${handle}`);

/** Writes whole product graphs: a handful of statements however many products. */
export async function writeProductGraphs(
  tx: Executor,
  graphs: readonly ProductGraph[],
  { emitEvents = true }: { emitEvents?: boolean } = {},
): Promise<void> {
  if (graphs.length === 0) return;
  const productIds = graphs.map((g) => g.id);
  try {
    await sql`INSERT INTO products (id, handle, title, description, status, attributes, media)
      SELECT id, handle, title, description, status, attributes, media
      FROM jsonb_to_recordset(${json(
        graphs.map(({ id, handle, title, description, status, attributes, media }) => ({
          id,
          handle,
          title,
          description,
          status,
          attributes,
          media,
        })),
      )}) AS x(id text, handle text, title text, description text, status text, attributes jsonb, media jsonb)
      ON CONFLICT (id) DO UPDATE SET handle = excluded.handle, title = excluded.title,
        description = excluded.description, status = excluded.status, attributes = excluded.attributes,
        media = excluded.media, version = products.version + 1, updated_at = now()`.execute(tx);
  } catch (error) {
    if (isUniqueViolation(error, 'products_handle_key'))
      throw handleTaken(graphs.length === 1 ? (graphs[0]?.handle ?? '') : 'of one of these products');
    throw error;
  }

  await tx.deleteFrom('product_options').where('product_id', 'in', productIds).execute();
  const options = graphs.flatMap((g) => g.options.map((o) => ({ ...o, product_id: g.id })));
  if (options.length > 0)
    await sql`INSERT INTO product_options (id, product_id, name, "values", position)
      SELECT id, product_id, name, ARRAY(SELECT jsonb_array_elements_text(vals)), position
      FROM jsonb_to_recordset(${json(options.map(({ values, ...o }) => ({ ...o, vals: values })))})
        AS x(id text, product_id text, name text, vals jsonb, position integer)`.execute(tx);

  const variants = graphs.flatMap((g) => g.variants.map((v) => ({ ...v, product_id: g.id })));
  const keptVariantIds = variants.map((v) => v.id);
  await sql`DELETE FROM variants WHERE product_id = ANY(${productIds}::text[])
    AND NOT (id = ANY(${keptVariantIds}::text[]))`.execute(tx);
  if (variants.length > 0) {
    try {
      await sql`INSERT INTO variants (id, product_id, sku, title, option_values, barcode, weight_grams, position)
        SELECT id, product_id, sku, title, options, barcode, weight_grams, position
        FROM jsonb_to_recordset(${json(variants.map(({ prices: _prices, ...v }) => v))})
          AS x(id text, product_id text, sku text, title text, options jsonb, barcode text,
            weight_grams integer, position integer)
        ON CONFLICT (id) DO UPDATE SET sku = excluded.sku, title = excluded.title,
          option_values = excluded.option_values, barcode = excluded.barcode,
          weight_grams = excluded.weight_grams, position = excluded.position,
          version = variants.version + 1, updated_at = now()`.execute(tx);
    } catch (error) {
      if (isUniqueViolation(error, 'variants_sku_key'))
        throw skuTaken('A SKU in this product is used by another product');
      throw error;
    }
  }
  await replacePrices(
    tx,
    keptVariantIds,
    variants.flatMap((v) => v.prices.map((price) => ({ variantId: v.id, price }))),
  );

  await replaceMemberships(tx, 'product_categories', 'category_id', productIds, graphs, (g) => g.categoryIds);
  await replaceMemberships(
    tx,
    'product_collections',
    'collection_id',
    productIds,
    graphs,
    (g) => g.collectionIds,
  );
  await replaceMemberships(tx, 'product_channels', 'channel_id', productIds, graphs, (g) => g.channelIds);

  if (emitEvents)
    for (const graph of graphs)
      await emitProductEvent(tx, graph.isNew ? 'product.created' : 'product.updated', graph);
}

async function replaceMemberships(
  tx: Executor,
  table: 'product_categories' | 'product_collections' | 'product_channels',
  column: 'category_id' | 'collection_id' | 'channel_id',
  productIds: string[],
  graphs: readonly ProductGraph[],
  idsOf: (graph: ProductGraph) => string[],
): Promise<void> {
  await tx.deleteFrom(table).where('product_id', 'in', productIds).execute();
  const pairs = graphs.flatMap((g) => idsOf(g).map((id) => ({ product_id: g.id, [column]: id })));
  if (pairs.length === 0) return;
  await sql`INSERT INTO ${sql.table(table)} (product_id, ${sql.ref(column)})
    SELECT product_id, ${sql.ref(column)} FROM jsonb_to_recordset(${json(pairs)})
      AS x(product_id text, ${sql.ref(column)} text)`.execute(tx);
}

/** Events carry a reference, not the whole product: subscribers read what they need. */
export async function emitProductEvent(
  tx: Executor,
  type: 'product.created' | 'product.updated' | 'product.deleted',
  product: { id: string; handle: string; status: string; channelIds?: string[] },
): Promise<void> {
  await emitEvent(tx, {
    type,
    resourceType: 'product',
    resourceId: product.id,
    data: {
      id: product.id,
      handle: product.handle,
      status: product.status,
      ...(product.channelIds ? { channel_ids: product.channelIds } : {}),
    },
  });
}
