import type { Executor } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { ApiError, type FieldError } from '../../http/problem.js';
import { newId } from '../../lib/ids.js';
import { listChannels } from '../channels/service.js';
import { priceInputErrors } from '../pricing/service.js';
import { duplicateSkuErrors, type ProductGraph, variantOptionErrors, writeProductGraphs } from './graph.js';
import { type ImportRecord, type LineError, recordSchemaErrors } from './import-format.js';
import { listCategories, listCollections } from './taxonomy.js';

export interface ImportReport {
  created: number;
  updated: number;
  failed: number;
  errors: LineError[];
}

export interface ImportOptions {
  /** Line number of each record in its source file (defaults to 1, 2, 3, …). */
  lines?: readonly number[];
  /** Called after every batch with the number of records processed so far. */
  onProgress?: (done: number, total: number) => void;
  /** Products written per transaction; a batch that fails is retried product by product. */
  batchSize?: number;
  /** Write product.created / product.updated events (a fresh bulk seed may skip them). */
  emitEvents?: boolean;
}

interface Lookups {
  categoryIds: Map<string, string>;
  collectionIds: Map<string, string>;
  channelCurrencies: Map<string, string[]>;
}

async function loadLookups(db: Executor): Promise<Lookups> {
  const [categories, collections, channels] = await Promise.all([
    listCategories(db),
    listCollections(db),
    listChannels(db),
  ]);
  return {
    categoryIds: new Map(categories.map((c) => [c.handle, c.id])),
    collectionIds: new Map(collections.map((c) => [c.handle, c.id])),
    channelCurrencies: new Map(channels.map((c) => [c.id, c.currencies])),
  };
}

/** Every check that needs no per-product query; returns the record's field errors. */
function recordErrors(record: ImportRecord, lookups: Lookups): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  (record.options ?? []).forEach((option, index) => {
    if (names.has(option.name))
      errors.push({ field: `/options/${index}/name`, message: 'appears twice in this product' });
    names.add(option.name);
  });
  const variants = record.variants ?? [];
  const variantField = (index: number) => `/variants/${index}`;
  errors.push(...variantOptionErrors(record.options ?? [], variants, variantField));
  errors.push(...duplicateSkuErrors(variants, variantField));
  variants.forEach((variant, v) => {
    (variant.prices ?? []).forEach((price, p) => {
      const field = `${variantField(v)}/prices/${p}`;
      errors.push(...priceInputErrors(price, field));
      if (!price.channel_id) return;
      const currencies = lookups.channelCurrencies.get(price.channel_id);
      if (!currencies) errors.push({ field: `${field}/channel_id`, message: 'is not a known channel' });
      else if (!currencies.includes(price.currency))
        errors.push({
          field: `${field}/currency`,
          message: `is not one of the channel's currencies (${currencies.join(', ')})`,
        });
    });
  });
  const unknown = (handles: string[] | undefined, known: Map<string, unknown>, field: string) =>
    (handles ?? []).forEach((handle, index) => {
      if (!known.has(handle))
        errors.push({ field: `/${field}/${index}`, message: `${handle} does not exist` });
    });
  unknown(record.categories, lookups.categoryIds, 'categories');
  unknown(record.collections, lookups.collectionIds, 'collections');
  unknown(record.channels, lookups.channelCurrencies, 'channels');
  return errors;
}

interface Pending {
  line: number;
  record: ImportRecord;
}

/** Resolves handles and SKUs to IDs: existing products and variants keep theirs. */
async function toGraphs(
  db: Executor,
  batch: Pending[],
  lookups: Lookups,
): Promise<{ graphs: Array<{ pending: Pending; graph: ProductGraph }>; errors: LineError[] }> {
  const handles = batch.map((p) => p.record.handle);
  const skus = batch.flatMap((p) => (p.record.variants ?? []).map((v) => v.sku));
  const [products, variants] = await Promise.all([
    db.selectFrom('products').select(['id', 'handle']).where('handle', 'in', handles).execute(),
    skus.length
      ? db
          .selectFrom('variants')
          .innerJoin('products', 'products.id', 'variants.product_id')
          .select(['variants.id', 'variants.sku', 'variants.product_id', 'products.handle'])
          .where('variants.sku', 'in', skus)
          .execute()
      : Promise.resolve([]),
  ]);
  const productIds = new Map(products.map((p) => [p.handle, p.id]));
  const variantsBySku = new Map(variants.map((v) => [v.sku, v]));
  const graphs: Array<{ pending: Pending; graph: ProductGraph }> = [];
  const errors: LineError[] = [];
  for (const pending of batch) {
    const { record } = pending;
    const existingId = productIds.get(record.handle);
    const clashes: FieldError[] = [];
    (record.variants ?? []).forEach((variant, index) => {
      const owner = variantsBySku.get(variant.sku);
      if (owner && owner.handle !== record.handle)
        clashes.push({
          field: `/variants/${index}/sku`,
          message: `is already used by product ${owner.handle}`,
        });
    });
    if (clashes.length > 0) {
      errors.push({ line: pending.line, handle: record.handle, errors: clashes });
      continue;
    }
    graphs.push({
      pending,
      graph: {
        id: existingId ?? newId('prod'),
        isNew: existingId === undefined,
        handle: record.handle,
        title: record.title,
        description: record.description ?? '',
        status: record.status ?? 'draft',
        attributes: record.attributes ?? {},
        media: (record.media ?? []).map((m) => ({ url: m.url, alt: m.alt ?? null })),
        options: (record.options ?? []).map((option, position) => ({
          id: newId('opt'),
          name: option.name,
          values: option.values,
          position,
        })),
        variants: (record.variants ?? []).map((variant, position) => ({
          id: variantsBySku.get(variant.sku)?.id ?? newId('var'),
          sku: variant.sku,
          title: variant.title ?? '',
          options: variant.options ?? {},
          barcode: variant.barcode ?? null,
          weight_grams: variant.weight_grams ?? null,
          position,
          prices: variant.prices ?? [],
        })),
        categoryIds: (record.categories ?? []).map((h) => lookups.categoryIds.get(h) as string),
        collectionIds: (record.collections ?? []).map((h) => lookups.collectionIds.get(h) as string),
        channelIds: record.channels ?? [],
      },
    });
  }
  return { graphs, errors };
}

function describeFailure(error: unknown): FieldError[] {
  if (error instanceof ApiError)
    return error.extra.errors?.length ? error.extra.errors : [{ field: '/', message: error.message }];
  // A constraint the database enforces (not pre-checked above): name it so the row can be fixed.
  const detail = error instanceof Error ? error.message : String(error);
  return [{ field: '/', message: `could not be written: ${detail}` }];
}

/**
 * Upserts products by handle. Each product is all-or-nothing: batches are written in one
 * transaction with bulk statements, and a batch that fails is replayed one product per
 * transaction so only the failing products are reported and nothing is half-written.
 */
export async function importProducts(
  db: Executor,
  records: readonly unknown[],
  options: ImportOptions = {},
): Promise<ImportReport> {
  const report: ImportReport = { created: 0, updated: 0, failed: 0, errors: [] };
  const lookups = await loadLookups(db);
  const batchSize = options.batchSize ?? 500;
  const seenHandles = new Set<string>();
  const seenSkus = new Set<string>();
  const fail = (error: LineError) => {
    report.failed++;
    report.errors.push(error);
  };

  const valid: Pending[] = [];
  for (const [index, value] of records.entries()) {
    const line = options.lines?.[index] ?? index + 1;
    const handle =
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { handle?: unknown }).handle === 'string'
        ? (value as { handle: string }).handle
        : null;
    const schemaErrors = recordSchemaErrors(value);
    if (schemaErrors.length > 0) {
      fail({ line, handle, errors: schemaErrors });
      continue;
    }
    const record = value as ImportRecord;
    const errors = recordErrors(record, lookups);
    if (seenHandles.has(record.handle))
      errors.push({ field: '/handle', message: 'appears on an earlier line of this import' });
    (record.variants ?? []).forEach((variant, i) => {
      if (seenSkus.has(variant.sku))
        errors.push({ field: `/variants/${i}/sku`, message: 'appears in another product of this import' });
    });
    seenHandles.add(record.handle);
    for (const variant of record.variants ?? []) seenSkus.add(variant.sku);
    if (errors.length > 0) fail({ line, handle, errors });
    else valid.push({ line, record });
  }

  let done = records.length - valid.length;
  for (let start = 0; start < valid.length; start += batchSize) {
    const batch = valid.slice(start, start + batchSize);
    const write = async (items: Pending[]) =>
      inTransaction(db, async (tx) => {
        const { graphs, errors } = await toGraphs(tx, items, lookups);
        await writeProductGraphs(
          tx,
          graphs.map((g) => g.graph),
          { emitEvents: options.emitEvents },
        );
        return { graphs, errors };
      });
    try {
      const { graphs, errors } = await write(batch);
      for (const { graph } of graphs) graph.isNew ? report.created++ : report.updated++;
      errors.forEach(fail);
    } catch {
      // Someone else's write (or one bad product) broke the batch: isolate product by product.
      for (const item of batch) {
        try {
          const { graphs, errors } = await write([item]);
          for (const { graph } of graphs) graph.isNew ? report.created++ : report.updated++;
          errors.forEach(fail);
        } catch (error) {
          fail({ line: item.line, handle: item.record.handle, errors: describeFailure(error) });
        }
      }
    }
    done += batch.length;
    options.onProgress?.(done, records.length);
  }
  report.errors.sort((a, b) => a.line - b.line);
  return report;
}
