import type { Executor } from '../../db/database.js';
import { listPricesOfVariants, presentPrice } from '../pricing/service.js';
import type { PriceRow } from '../pricing/tables.js';
import type { ProductOptionRow, ProductRow, VariantRow } from './tables.js';

export type PresentedPrice = ReturnType<typeof presentPrice>;

export function presentVariant(row: VariantRow, prices: PriceRow[]) {
  return {
    id: row.id,
    product_id: row.product_id,
    sku: row.sku,
    title: row.title,
    options: row.option_values,
    barcode: row.barcode,
    weight_grams: row.weight_grams,
    position: row.position,
    version: row.version,
    prices: prices.map(presentPrice),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export type PresentedVariant = ReturnType<typeof presentVariant>;

export function presentOption(row: ProductOptionRow) {
  return { id: row.id, name: row.name, values: row.values, position: row.position };
}

function presentProduct(
  row: ProductRow,
  related: {
    options: ProductOptionRow[];
    variants: PresentedVariant[];
    categoryIds: string[];
    collectionIds: string[];
    channelIds: string[];
  },
) {
  return {
    id: row.id,
    handle: row.handle,
    title: row.title,
    description: row.description,
    status: row.status,
    attributes: row.attributes,
    media: row.media,
    options: related.options.map(presentOption),
    variants: related.variants,
    category_ids: related.categoryIds,
    collection_ids: related.collectionIds,
    channel_ids: related.channelIds,
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export type PresentedProduct = ReturnType<typeof presentProduct>;

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

/** Full admin view of several products, in the order of `ids` (missing ones skipped). */
export async function loadProducts(db: Executor, ids: readonly string[]): Promise<PresentedProduct[]> {
  if (ids.length === 0) return [];
  const list = [...ids];
  const [products, options, variants, categories, collections, channels] = await Promise.all([
    db.selectFrom('products').selectAll().where('id', 'in', list).execute(),
    db
      .selectFrom('product_options')
      .selectAll()
      .where('product_id', 'in', list)
      .orderBy('position')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('variants')
      .selectAll()
      .where('product_id', 'in', list)
      .orderBy('position')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('product_categories')
      .selectAll()
      .where('product_id', 'in', list)
      .orderBy('category_id')
      .execute(),
    db
      .selectFrom('product_collections')
      .selectAll()
      .where('product_id', 'in', list)
      .orderBy('collection_id')
      .execute(),
    db
      .selectFrom('product_channels')
      .selectAll()
      .where('product_id', 'in', list)
      .orderBy('channel_id')
      .execute(),
  ]);
  const prices = groupBy(
    await listPricesOfVariants(
      db,
      variants.map((v) => v.id),
    ),
    (p) => p.variant_id,
  );
  const byId = new Map(products.map((p) => [p.id, p]));
  const optionsOf = groupBy(options, (o) => o.product_id);
  const variantsOf = groupBy(variants, (v) => v.product_id);
  const categoriesOf = groupBy(categories, (c) => c.product_id);
  const collectionsOf = groupBy(collections, (c) => c.product_id);
  const channelsOf = groupBy(channels, (c) => c.product_id);
  return list.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    return [
      presentProduct(row, {
        options: optionsOf.get(id) ?? [],
        variants: (variantsOf.get(id) ?? []).map((v) => presentVariant(v, prices.get(v.id) ?? [])),
        categoryIds: (categoriesOf.get(id) ?? []).map((c) => c.category_id),
        collectionIds: (collectionsOf.get(id) ?? []).map((c) => c.collection_id),
        channelIds: (channelsOf.get(id) ?? []).map((c) => c.channel_id),
      }),
    ];
  });
}
