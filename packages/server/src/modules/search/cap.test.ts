import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, unique } from '../../../test/harness.js';
import { importProducts } from '../catalog/import.js';
import { SEARCH_CAP } from './query.js';

let server: TestServer;
let key: string;
let categoryId: string;

interface Result {
  data: Array<{ id: string; title: string }>;
  total: number;
  total_exact: boolean;
  facets_exact: boolean;
  next_cursor: string | null;
}

async function search(query: string): Promise<Result> {
  const response = await server.store(key, 'GET', `/store/v1/search?${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

// More products mention "quillon" in their description than a search ranks, three of them in
// one category; the one with it in its title is imported last (physically last in the table).
beforeAll(async () => {
  server = await startTestServer();
  const channel = await server.newChannel();
  key = channel.key;
  const category = await server.admin('POST', '/admin/v1/categories', {
    handle: unique('cap'),
    name: 'Capped',
  });
  categoryId = category.json().id;
  const product = (title: string, description: string, categories: string[] = []) => ({
    handle: unique('cap-p'),
    title,
    description,
    status: 'published',
    channels: [channel.id],
    categories,
    variants: [{ sku: unique('CAP'), prices: [{ currency: 'EUR', amount: 1000 }] }],
  });
  const many = Array.from({ length: SEARCH_CAP + 5 }, (_, i) =>
    product(`Plain item ${i}`, 'A sturdy quillon piece.', i % 200 === 7 ? [category.json().handle] : []),
  );
  const report = await importProducts(server.db, [...many, product('Quillon lantern', 'Brass.')]);
  expect(report.failed).toBe(0);
}, 120_000);
afterAll(() => server.close());

describe('searches matching more than SEARCH_CAP products', () => {
  it('work on the first SEARCH_CAP matches, keyword matches first, and say so', async () => {
    const result = await search('q=quillon');
    expect(result).toMatchObject({ total: SEARCH_CAP, total_exact: false, facets_exact: false });
    expect(result.data[0].title).toBe('Quillon lantern');

    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: Result = await search(
        `q=quillon&limit=100&facets=false${cursor ? `&cursor=${cursor}` : ''}`,
      );
      for (const hit of page.data) seen.add(hit.id);
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen.size).toBe(SEARCH_CAP);
  });

  it('still find every match of a filter narrower than the cap', async () => {
    const result = await search(`q=quillon&category=${categoryId}`);
    expect(result).toMatchObject({ total: 3, total_exact: true, facets_exact: false });
  });

  it('browse the newest products first without words', async () => {
    const result = await search('limit=1');
    expect(result).toMatchObject({ total: SEARCH_CAP, total_exact: false, facets_exact: false });
    expect(result.data[0].title).toBe('Quillon lantern');
  });

  it('are exact below the cap', async () => {
    expect(await search('q=lantern')).toMatchObject({ total: 1, total_exact: true, facets_exact: true });
  });
});
