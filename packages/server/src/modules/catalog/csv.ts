import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { ApiError, type FieldError } from '../../http/problem.js';
import type { PriceInput } from '../pricing/service.js';
import type { ImportRecord, LineError, ParsedLine } from './import-format.js';

/**
 * CSV import/export: one row per variant, rows of one product grouped by `handle`
 * (consecutive or not). Product columns are read from the product's first row; later rows
 * may repeat them or leave them empty. A product without variants is one row with an
 * empty `sku`.
 *
 * | column | meaning |
 * |---|---|
 * | handle | product handle (required) |
 * | title, description, status | product fields |
 * | categories, collections | handles separated by `|` |
 * | channels | channel IDs separated by `|` |
 * | attributes | JSON object |
 * | media | JSON array of `{ "url", "alt" }` |
 * | options | JSON array of `{ "name", "values" }` (declares the options and their order) |
 * | sku, variant_title, barcode, weight_grams | variant fields |
 * | option:<Name> | the variant's value for option <Name>, e.g. `option:Size` = `M` |
 * | price:<CUR> | base price in minor units for currency <CUR>, e.g. `price:EUR` = `1999` |
 * | prices | JSON array of any other prices (channel, group or segment scoped, tiers, windows) |
 */
export const CSV_PRODUCT_COLUMNS = [
  'handle',
  'title',
  'description',
  'status',
  'categories',
  'collections',
  'channels',
  'attributes',
  'media',
  'options',
] as const;
export const CSV_VARIANT_COLUMNS = ['sku', 'variant_title', 'barcode', 'weight_grams', 'prices'] as const;

const KNOWN = new Set<string>([...CSV_PRODUCT_COLUMNS, ...CSV_VARIANT_COLUMNS]);
const OPTION_PREFIX = 'option:';
const PRICE_PREFIX = 'price:';

type Row = Record<string, string>;

const isSimpleBasePrice = (price: PriceInput) =>
  !price.channel_id &&
  !price.customer_group_id &&
  !price.segment_id &&
  (price.min_quantity ?? 1) === 1 &&
  !price.starts_at &&
  !price.ends_at;

const list = (cell: string | undefined) => (cell ? cell.split('|').filter((item) => item !== '') : []);

function json(cell: string | undefined, column: string, errors: FieldError[]): unknown {
  if (!cell) return undefined;
  try {
    return JSON.parse(cell);
  } catch {
    errors.push({ field: `/${column}`, message: 'is not valid JSON' });
    return undefined;
  }
}

function wholeNumber(cell: string, column: string, errors: FieldError[]): number | undefined {
  if (!/^\d+$/.test(cell.trim())) {
    errors.push({ field: `/${column}`, message: 'must be a whole number' });
    return undefined;
  }
  return Number(cell);
}

/** Builds one import record from the rows of one handle; cell problems become field errors. */
function recordFromRows(rows: Row[], columns: string[]): { value: unknown; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const first = rows[0] as Row;
  for (const row of rows.slice(1))
    for (const column of CSV_PRODUCT_COLUMNS)
      if (row[column] && row[column] !== first[column])
        errors.push({ field: `/${column}`, message: 'differs from the product’s first row' });
  const record: Record<string, unknown> = { handle: first.handle, title: first.title };
  if (first.description) record.description = first.description;
  if (first.status) record.status = first.status;
  record.attributes = json(first.attributes, 'attributes', errors) ?? {};
  record.media = json(first.media, 'media', errors) ?? [];
  record.categories = list(first.categories);
  record.collections = list(first.collections);
  record.channels = list(first.channels);
  record.options = json(first.options, 'options', errors) ?? [];
  const optionColumns = columns.filter((c) => c.startsWith(OPTION_PREFIX));
  const priceColumns = columns.filter((c) => c.startsWith(PRICE_PREFIX));
  record.variants = rows
    .filter((row) => row.sku)
    .map((row) => {
      const variant: Record<string, unknown> = { sku: row.sku, title: row.variant_title ?? '' };
      const options: Record<string, string> = {};
      for (const column of optionColumns)
        if (row[column]) options[column.slice(OPTION_PREFIX.length)] = row[column];
      variant.options = options;
      variant.barcode = row.barcode || null;
      variant.weight_grams = row.weight_grams ? wholeNumber(row.weight_grams, 'weight_grams', errors) : null;
      const prices: unknown[] = [];
      for (const column of priceColumns)
        if (row[column])
          prices.push({
            currency: column.slice(PRICE_PREFIX.length),
            amount: wholeNumber(row[column], column, errors),
          });
      const others = json(row.prices, 'prices', errors);
      if (others !== undefined) prices.push(...(Array.isArray(others) ? others : [others]));
      variant.prices = prices;
      return variant;
    });
  return { value: record, errors };
}

export function parseCsv(text: string): { records: ParsedLine[]; errors: LineError[] } {
  let parsed: Array<{ record: Row; info: { lines: number } }>;
  try {
    parsed = parse(text, { columns: true, info: true, skip_empty_lines: true, bom: true });
  } catch (error) {
    throw new ApiError(400, 'malformed_csv', `The CSV could not be read: ${(error as Error).message}`);
  }
  const columns = Object.keys(parsed[0]?.record ?? {});
  const unknown = columns.filter(
    (c) => !KNOWN.has(c) && !c.startsWith(OPTION_PREFIX) && !c.startsWith(PRICE_PREFIX),
  );
  if (parsed.length > 0 && (unknown.length > 0 || !columns.includes('handle')))
    throw new ApiError(400, 'invalid_csv_header', 'The CSV header names unknown columns or lacks `handle`', {
      errors: [
        ...unknown.map((column) => ({ field: `/header/${column}`, message: 'is not a known column' })),
        ...(columns.includes('handle') ? [] : [{ field: '/header/handle', message: 'is required' }]),
      ],
    });
  const groups = new Map<string, Array<{ row: Row; line: number }>>();
  for (const { record, info } of parsed) {
    const group = groups.get(record.handle ?? '') ?? [];
    group.push({ row: record, line: info.lines });
    groups.set(record.handle ?? '', group);
  }
  const records: ParsedLine[] = [];
  const errors: LineError[] = [];
  for (const [handle, group] of groups) {
    const line = group[0]?.line ?? 0;
    const { value, errors: cellErrors } = recordFromRows(
      group.map((g) => g.row),
      columns,
    );
    if (cellErrors.length > 0) errors.push({ line, handle: handle || null, errors: cellErrors });
    else records.push({ line, value });
  }
  return { records, errors };
}

export interface CsvColumns {
  optionNames: string[];
  currencies: string[];
}

/** The option and base-price columns a set of records needs. */
export function csvColumnsOf(records: readonly ImportRecord[]): CsvColumns {
  const optionNames = new Set<string>();
  const currencies = new Set<string>();
  for (const record of records)
    for (const variant of record.variants ?? []) {
      for (const name of Object.keys(variant.options ?? {})) optionNames.add(name);
      for (const price of variant.prices ?? []) if (isSimpleBasePrice(price)) currencies.add(price.currency);
    }
  return { optionNames: [...optionNames], currencies: [...currencies] };
}

function header(columns: CsvColumns): string[] {
  return [
    ...CSV_PRODUCT_COLUMNS,
    ...CSV_VARIANT_COLUMNS,
    ...[...columns.optionNames].sort().map((name) => `${OPTION_PREFIX}${name}`),
    ...[...columns.currencies].sort().map((code) => `${PRICE_PREFIX}${code}`),
  ];
}

/** CSV text for `records` (and the header row first when asked), one row per variant. */
export function toCsv(
  records: readonly ImportRecord[],
  columns = csvColumnsOf(records),
  withHeader = true,
): string {
  const names = header(columns);
  const optionColumns = names.filter((c) => c.startsWith(OPTION_PREFIX));
  const priceColumns = names.filter((c) => c.startsWith(PRICE_PREFIX));
  const rows: string[][] = withHeader ? [names] : [];
  for (const record of records) {
    const product = [
      record.handle,
      record.title,
      record.description ?? '',
      record.status ?? '',
      (record.categories ?? []).join('|'),
      (record.collections ?? []).join('|'),
      (record.channels ?? []).join('|'),
      JSON.stringify(record.attributes ?? {}),
      JSON.stringify(record.media ?? []),
      JSON.stringify(record.options ?? []),
    ];
    const variants = record.variants ?? [];
    if (variants.length === 0) rows.push([...product, ...names.slice(product.length).map(() => '')]);
    for (const variant of variants) {
      const prices = variant.prices ?? [];
      const others = prices.filter((p) => !isSimpleBasePrice(p));
      rows.push([
        ...product,
        variant.sku,
        variant.title ?? '',
        variant.barcode ?? '',
        variant.weight_grams === null || variant.weight_grams === undefined
          ? ''
          : String(variant.weight_grams),
        others.length ? JSON.stringify(others) : '',
        ...optionColumns.map((c) => variant.options?.[c.slice(OPTION_PREFIX.length)] ?? ''),
        ...priceColumns.map((c) => {
          const price = prices.find(
            (p) => isSimpleBasePrice(p) && p.currency === c.slice(PRICE_PREFIX.length),
          );
          return price ? String(price.amount) : '';
        }),
      ]);
    }
  }
  return stringify(rows);
}
