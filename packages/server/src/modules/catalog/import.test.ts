import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, unique } from '../../../test/harness.js';
import { parseCsv, toCsv } from './csv.js';
import { importProducts } from './import.js';
import type { ImportRecord } from './import-format.js';

let server: TestServer;
let channelId: string;
let categoryHandle: string;
let collectionHandle: string;
beforeAll(async () => {
  server = await startTestServer();
  channelId = (await server.newChannel({ currencies: ['EUR', 'USD'] })).id;
  categoryHandle = (
    await server.admin('POST', '/admin/v1/categories', { handle: unique('shoes'), name: 'Shoes' })
  ).json().handle;
  collectionHandle = (
    await server.admin('POST', '/admin/v1/collections', { handle: unique('new'), title: 'New' })
  ).json().handle;
});
afterAll(() => server.close());

function record(overrides: Partial<ImportRecord> = {}): ImportRecord {
  const handle = unique('runner');
  return {
    handle,
    title: 'Runner, "fast" edition',
    description: 'Line one\nline two, with commas',
    status: 'published',
    attributes: { brand: 'Acme', tags: ['a', 'b'], waterproof: true },
    media: [
      { url: 'https://cdn.example.com/a.jpg', alt: 'Side' },
      { url: 'https://cdn.example.com/b.jpg', alt: null },
    ],
    categories: [categoryHandle],
    collections: [collectionHandle],
    channels: [channelId],
    options: [
      { name: 'Size', values: ['41', '42'] },
      { name: 'Color', values: ['Red', 'Blue'] },
    ],
    variants: [
      {
        sku: `${handle}-41`,
        title: '41 / Red',
        options: { Size: '41', Color: 'Red' },
        barcode: '4006381333931',
        weight_grams: 700,
        prices: [
          { currency: 'EUR', amount: 8900 },
          { currency: 'USD', amount: 9900 },
          { currency: 'EUR', amount: 8500, channel_id: channelId },
          { currency: 'EUR', amount: 8000, min_quantity: 5 },
          {
            currency: 'EUR',
            amount: 7000,
            segment_id: 'seg_vip',
            starts_at: '2030-01-01T00:00:00.000Z',
            ends_at: '2030-02-01T00:00:00.000Z',
          },
        ],
      },
      {
        sku: `${handle}-42`,
        title: '42 / Blue',
        options: { Size: '42', Color: 'Blue' },
        barcode: null,
        weight_grams: null,
        prices: [],
      },
    ],
    ...overrides,
  };
}

const ndjson = (lines: unknown[]) =>
  lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n');

async function postImport(body: string, type: string) {
  return server.app.inject({
    method: 'POST',
    url: '/admin/v1/products/import',
    headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': type },
    payload: body,
  });
}

async function exportRecords(handles: string[]): Promise<ImportRecord[]> {
  const response = await server.admin('GET', '/admin/v1/products/export?format=jsonl');
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toContain('application/x-ndjson');
  return response.body
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .filter((r: ImportRecord) => handles.includes(r.handle));
}

describe('POST /admin/v1/products/import', () => {
  it('imports good lines, reports bad ones by line and field, and never half-writes a product', async () => {
    const good = record();
    const takenSku = good.variants?.[0]?.sku as string;
    const clash = record();
    clash.variants = [
      { ...(clash.variants?.[0] as NonNullable<ImportRecord['variants']>[0]), sku: takenSku },
    ];
    const body = ndjson([
      good,
      { ...record(), extra: 1 },
      '{"handle": ',
      record({ variants: [{ sku: unique('s'), prices: [{ currency: 'EUR', amount: -5 }] }] as never }),
      record({ categories: ['no-such-category'] }),
      clash,
      '',
    ]);
    const response = await postImport(body, 'application/x-ndjson');
    expect(response.statusCode).toBe(200);
    const report = response.json();
    expect(report).toMatchObject({ created: 1, updated: 0, failed: 5 });
    expect(report.errors.map((e: { line: number }) => e.line)).toEqual([2, 3, 4, 5, 6]);
    expect(report.errors[0].errors).toContainEqual({ field: '/extra', message: 'is not a known field' });
    expect(report.errors[1].errors[0].message).toBe('is not valid JSON');
    expect(report.errors[2].errors[0].field).toBe('/variants/0/prices/0/amount');
    expect(report.errors[3].errors).toEqual([
      { field: '/categories/0', message: 'no-such-category does not exist' },
    ]);
    expect(report.errors[4]).toMatchObject({ handle: clash.handle, errors: [{ field: '/variants/0/sku' }] });
    const written = await server.db
      .selectFrom('products')
      .select('handle')
      .where('handle', '=', clash.handle)
      .execute();
    expect(written).toEqual([]);
  });

  it('keeps each product atomic when the database refuses part of it', async () => {
    const first = record();
    const second = record();
    // The same price twice violates the unique price scope only at write time.
    const variant = second.variants?.[0] as NonNullable<ImportRecord['variants']>[0];
    variant.prices = [
      { currency: 'EUR', amount: 100 },
      { currency: 'EUR', amount: 200 },
    ];
    const report = await importProducts(server.db, [first, second]);
    expect(report).toMatchObject({ created: 1, failed: 1 });
    expect(report.errors[0]).toMatchObject({ line: 2, handle: second.handle });
    const products = await server.db
      .selectFrom('products')
      .select('handle')
      .where('handle', 'in', [first.handle, second.handle])
      .execute();
    expect(products.map((p) => p.handle)).toEqual([first.handle]);
    const orphanVariants = await server.db
      .selectFrom('variants')
      .select('id')
      .where('sku', '=', variant.sku)
      .execute();
    expect(orphanVariants).toEqual([]);
  });

  it('upserts by handle: keeps product and variant IDs, replaces the rest', async () => {
    const original = record();
    await importProducts(server.db, [original]);
    const before = (await server.admin('GET', `/admin/v1/products?q=${original.handle}`)).json().data[0];
    const changed = record({
      handle: original.handle,
      title: 'Renamed',
      categories: [],
      variants: [
        {
          ...(original.variants?.[0] as NonNullable<ImportRecord['variants']>[0]),
          prices: [{ currency: 'EUR', amount: 1 }],
        },
      ],
    });
    const report = await importProducts(server.db, [changed]);
    expect(report).toMatchObject({ created: 0, updated: 1, failed: 0 });
    const after = (await server.admin('GET', `/admin/v1/products/${before.id}`)).json();
    expect(after).toMatchObject({ title: 'Renamed', category_ids: [], version: before.version + 1 });
    expect(after.variants).toHaveLength(1);
    expect(after.variants[0].id).toBe(before.variants[0].id);
    expect(after.variants[0].prices.map((p: { amount: number }) => p.amount)).toEqual([1]);
  });

  it('round-trips JSON Lines through export without losing anything', async () => {
    const records = [record(), record({ options: [], variants: [] }), record({ status: 'draft', media: [] })];
    expect((await importProducts(server.db, records)).failed).toBe(0);
    const exported = await exportRecords(records.map((r) => r.handle));
    expect(exported).toEqual(records);
    const again = await postImport(ndjson(exported), 'application/x-ndjson');
    expect(again.json()).toMatchObject({ created: 0, updated: 3, failed: 0 });
    expect(await exportRecords(records.map((r) => r.handle))).toEqual(records);
  });

  it('round-trips CSV through export without losing anything', async () => {
    const records = [record(), record({ options: [], variants: [] })];
    const csvIn = toCsv(records);
    const imported = await postImport(csvIn, 'text/csv');
    expect(imported.json()).toMatchObject({ created: 2, failed: 0 });
    const response = await server.admin('GET', '/admin/v1/products/export?format=csv');
    expect(response.headers['content-type']).toContain('text/csv');
    const parsed = parseCsv(response.body);
    expect(parsed.errors).toEqual([]);
    const mine = parsed.records
      .map((r) => r.value as ImportRecord)
      .filter((r) => records.some((x) => x.handle === r.handle));
    expect(mine).toEqual(records);
  });

  it('refuses a CSV with unknown columns and reports bad cells per product', async () => {
    const unknownColumn = await postImport('handle,title,colour\na,b,c\n', 'text/csv');
    expect(unknownColumn.statusCode).toBe(400);
    expect(unknownColumn.json().errors).toContainEqual({
      field: '/header/colour',
      message: 'is not a known column',
    });
    const handle = unique('csv');
    const badCells = await postImport(
      `handle,title,sku,price:EUR\n${handle},T,${handle}-1,12.50\n`,
      'text/csv',
    );
    expect(badCells.json()).toMatchObject({
      created: 0,
      failed: 1,
      errors: [{ line: 2, handle, errors: [{ field: '/price:EUR' }] }],
    });
    expect((await postImport('', 'text/csv')).statusCode).toBe(400);
  });

  it('imports many products in bulk batches', async () => {
    const many = Array.from({ length: 120 }, () => record());
    const progress: number[] = [];
    const report = await importProducts(server.db, many, {
      batchSize: 50,
      onProgress: (done) => progress.push(done),
    });
    expect(report).toMatchObject({ created: 120, failed: 0 });
    expect(progress).toEqual([50, 100, 120]);
  });
});
