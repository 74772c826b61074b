import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { CsvColumns } from './csv.js';
import type { ImportRecord } from './import-format.js';
import { loadProducts, type PresentedProduct } from './present.js';
import { listCategories, listCollections } from './taxonomy.js';

/** A product in the import format: re-importing it reproduces the product. */
export function toImportRecord(
  product: PresentedProduct,
  handles: { categories: Map<string, string>; collections: Map<string, string> },
): ImportRecord {
  return {
    handle: product.handle,
    title: product.title,
    description: product.description,
    status: product.status,
    attributes: product.attributes,
    media: product.media.map((m) => ({ url: m.url, alt: m.alt })),
    categories: product.category_ids.map((id) => handles.categories.get(id) as string),
    collections: product.collection_ids.map((id) => handles.collections.get(id) as string),
    channels: product.channel_ids,
    options: product.options.map((o) => ({ name: o.name, values: o.values })),
    variants: product.variants.map((v) => ({
      sku: v.sku,
      title: v.title,
      options: v.options,
      barcode: v.barcode,
      weight_grams: v.weight_grams,
      prices: v.prices.map((p) => ({
        currency: p.currency,
        amount: p.amount,
        ...(p.channel_id ? { channel_id: p.channel_id } : {}),
        ...(p.customer_group_id ? { customer_group_id: p.customer_group_id } : {}),
        ...(p.segment_id ? { segment_id: p.segment_id } : {}),
        ...(p.min_quantity !== 1 ? { min_quantity: p.min_quantity } : {}),
        ...(p.starts_at ? { starts_at: p.starts_at } : {}),
        ...(p.ends_at ? { ends_at: p.ends_at } : {}),
      })),
    })),
  };
}

/** Every product in the import format, in ID order, a page at a time (memory stays flat). */
export async function* exportProducts(db: Executor, pageSize = 500): AsyncGenerator<ImportRecord[]> {
  const [categories, collections] = await Promise.all([listCategories(db), listCollections(db)]);
  const handles = {
    categories: new Map(categories.map((c) => [c.id, c.handle])),
    collections: new Map(collections.map((c) => [c.id, c.handle])),
  };
  let after = '';
  for (;;) {
    const ids = (
      await db
        .selectFrom('products')
        .select('id')
        .where('id', '>', after)
        .orderBy('id')
        .limit(pageSize)
        .execute()
    ).map((row) => row.id);
    if (ids.length === 0) return;
    yield (await loadProducts(db, ids)).map((product) => toImportRecord(product, handles));
    after = ids[ids.length - 1] as string;
  }
}

/** Columns a CSV export of the whole catalog needs, known before the first page is written. */
export async function catalogCsvColumns(db: Executor): Promise<CsvColumns> {
  const [options, currencies] = await Promise.all([
    sql<{ name: string }>`SELECT DISTINCT jsonb_object_keys(option_values) AS name FROM variants`.execute(db),
    sql<{ currency: string }>`SELECT DISTINCT currency FROM prices WHERE channel_id IS NULL
      AND customer_group_id IS NULL AND segment_id IS NULL AND min_quantity = 1
      AND starts_at IS NULL AND ends_at IS NULL`.execute(db),
  ]);
  return { optionNames: options.rows.map((r) => r.name), currencies: currencies.rows.map((r) => r.currency) };
}
