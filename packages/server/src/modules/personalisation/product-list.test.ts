import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, unique } from '../../../test/harness.js';
import { session, signedInCustomer } from '../cart/test-support.js';
import { importProducts } from '../catalog/index.js';
import { newCategory, type ShelfProduct, shelfProduct, visitorId } from './test-support.js';

/** `GET /store/v1/products?sort=personalised`: the product list re-ranked by the shopper's affinities. */

let server: TestServer;
let shop: { id: string; key: string };
let tent: ShelfProduct;
let shoe: ShelfProduct;
let peak: ShelfProduct;
let fleet: ShelfProduct;
let runner: string;
let camper: string;

type Headers = Record<string, string>;

const list = (query: string, headers: Headers = {}, key = shop.key) =>
  server.store(key, 'GET', `/store/v1/products?${query}`, undefined, headers);

/** Every page of a listing, following `next_cursor`. */
async function walk(query: string, headers: Headers = {}, key = shop.key): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const response = await list(`${query}${cursor ? `&cursor=${cursor}` : ''}`, headers, key);
    expect(response.statusCode, response.body).toBe(200);
    const page = response.json();
    ids.push(...page.data.map((product: { id: string }) => product.id));
    cursor = page.next_cursor;
  } while (cursor);
  return ids;
}

async function view(key: string, visitor: string, productId: string): Promise<void> {
  const tracked = await server.store(key, 'POST', '/store/v1/events', {
    visitor_id: visitor,
    consent: true,
    events: [{ type: 'product_view', product_id: productId }],
  });
  expect(tracked.json().stored).toBe(1);
}

beforeAll(async () => {
  server = await startTestServer();
  shop = await server.newChannel();
  const running = await newCategory(server);
  const camping = await newCategory(server);
  // Created oldest first: the default order is plain2, plain1, fleet, peak, shoe, tent.
  tent = await shelfProduct(server, [shop.id], { title: 'Tent', categoryIds: [camping] });
  shoe = await shelfProduct(server, [shop.id], { title: 'Trail shoe', categoryIds: [running] });
  peak = await shelfProduct(server, [shop.id], {
    title: 'Steel bottle',
    categoryIds: [camping],
    attributes: { brand: 'Peak' },
  });
  fleet = await shelfProduct(server, [shop.id], {
    title: 'Sport bottle',
    categoryIds: [running],
    attributes: { brand: 'Fleet' },
  });
  for (let i = 0; i < 2; i++) await shelfProduct(server, [shop.id], { title: `Plain ${i}` });
  runner = visitorId();
  camper = visitorId();
  await view(shop.key, runner, shoe.productId);
  await view(shop.key, camper, tent.productId);
});
afterAll(() => server.close());

describe('sort=personalised', () => {
  it('is exactly the default order, cursors included, for a shopper with no history', async () => {
    const newest = await list('limit=4');
    for (const headers of [{}, { 'x-visitor-id': visitorId() }] as Headers[]) {
      const personalised = await list('limit=4&sort=personalised', headers);
      expect(personalised.statusCode, personalised.body).toBe(200);
      expect(personalised.json()).toEqual(newest.json());
      expect(await walk('limit=2&sort=personalised', headers)).toEqual(await walk('limit=2'));
    }
  });

  it('lifts what the shopper engaged with, newest first among equals, each product once', async () => {
    const newest = await walk('limit=2');
    const plain = newest.filter(
      (id) => ![tent, shoe, peak, fleet].some((product) => product.productId === id),
    );
    expect(await walk('limit=2&sort=personalised', { 'x-visitor-id': runner })).toEqual([
      fleet.productId,
      shoe.productId,
      ...plain,
      peak.productId,
      tent.productId,
    ]);
    expect(await walk('limit=4&sort=personalised', { 'x-visitor-id': camper })).toEqual([
      peak.productId,
      tent.productId,
      ...plain,
      fleet.productId,
      shoe.productId,
    ]);
    // Filters still apply: only the bottles, re-ranked.
    const bottles = await list('sort=personalised&q=bottle', { 'x-visitor-id': camper });
    expect(bottles.json().data.map((p: { id: string }) => p.id)).toEqual([peak.productId, fleet.productId]);
  });

  it('identifies a signed-in customer by the session, only with consent', async () => {
    const viewTent = async (token: string) =>
      (
        await server.store(
          shop.key,
          'POST',
          '/store/v1/events',
          { events: [{ type: 'product_view', product_id: tent.productId }] },
          session(token),
        )
      ).json().stored;
    const order = async (token: string) =>
      (await list('sort=personalised', session(token))).json().data.map((p: { id: string }) => p.id);
    const withholding = await signedInCustomer(server, shop.key);
    expect(await viewTent(withholding.token)).toBe(0); // no consent: nothing learnt
    expect(await order(withholding.token)).toEqual(await walk('limit=100'));

    const consenting = await signedInCustomer(server, shop.key);
    const consent = await server.store(
      shop.key,
      'PATCH',
      '/store/v1/customers/me',
      { consent_personalisation: true },
      session(consenting.token),
    );
    expect(consent.statusCode, consent.body).toBe(200);
    expect(await viewTent(consenting.token)).toBe(1);
    expect((await order(consenting.token)).slice(0, 2)).toEqual([peak.productId, tent.productId]);
  });

  it('refuses a cursor of another sort order', async () => {
    const byPrice = (await list('limit=1&sort=price_asc')).json().next_cursor;
    const response = await list(`sort=personalised&cursor=${byPrice}`, { 'x-visitor-id': runner });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('invalid_cursor');
  });
});

/** A shared cache (CDN) following RFC 9111: it stores only public answers, keyed by URL and the Vary headers. */
function sharedCache() {
  const stored = new Map<string, { body: string; vary: string[]; headers: Headers }>();
  const keyOf = (url: string, vary: string[], headers: Headers) =>
    JSON.stringify([url, ...vary.map((name) => headers[name.toLowerCase()] ?? '')]);
  return async (query: string, headers: Headers): Promise<{ body: string; fromCache: boolean }> => {
    for (const entry of stored.values())
      if (keyOf(query, entry.vary, headers) === keyOf(query, entry.vary, entry.headers))
        return { body: entry.body, fromCache: true };
    const response = await list(query, headers);
    const control = String(response.headers['cache-control'] ?? '');
    if (/\bpublic\b/.test(control) && !/\b(private|no-store)\b/.test(control)) {
      const vary = String(response.headers.vary ?? '')
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean);
      stored.set(query + JSON.stringify(headers), { body: response.body, vary, headers });
    }
    return { body: response.body, fromCache: false };
  };
}

describe('caching a personalised list', () => {
  it('is private and varies on the shopper, so a shared cache never hands it to someone else', async () => {
    const shared = await list('limit=3');
    expect(shared.headers['cache-control']).toBe('public, max-age=30');
    for (const headers of [{ 'x-visitor-id': runner }, {}] as Headers[]) {
      const response = await list('limit=3&sort=personalised', headers);
      expect(response.headers['cache-control']).toBe('private, max-age=30');
      expect(String(response.headers.vary)).toMatch(/X-Customer-Token/);
      expect(String(response.headers.vary)).toMatch(/X-Visitor-Id/);
    }

    const cdn = sharedCache();
    const forRunner = await cdn('limit=3&sort=personalised', { 'x-visitor-id': runner });
    const forCamper = await cdn('limit=3&sort=personalised', { 'x-visitor-id': camper });
    expect(forCamper.fromCache).toBe(false);
    expect(forCamper.body).not.toEqual(forRunner.body);
    expect(JSON.parse(forCamper.body).data[0].id).toBe(peak.productId);
    // The public default list is still shared.
    await cdn('limit=3', { 'x-visitor-id': runner });
    expect((await cdn('limit=3', { 'x-visitor-id': camper })).fromCache).toBe(true);
  });

  it('still revalidates with the ETag for the same shopper', async () => {
    const first = await list('sort=personalised', { 'x-visitor-id': runner });
    const again = await list('sort=personalised', {
      'x-visitor-id': runner,
      'if-none-match': String(first.headers.etag),
    });
    expect(again.statusCode).toBe(304);
    expect(again.headers['cache-control']).toBe('private, max-age=30');
  });
});

describe('past the re-ranked window', () => {
  it('continues newest first, listing every product exactly once', async () => {
    const channel = await server.newChannel();
    const running = await newCategory(server);
    const plain = (n: number) =>
      Array.from({ length: n }, () => ({
        handle: unique('plain'),
        title: 'Plain',
        status: 'published' as const,
        channels: [channel.id],
        variants: [{ sku: unique('SKU').toUpperCase(), prices: [{ currency: 'EUR', amount: 1000 }] }],
      }));
    expect((await importProducts(server.db, plain(50))).created).toBe(50);
    const older = await shelfProduct(server, [channel.id], { title: 'Shoe', categoryIds: [running] });
    expect((await importProducts(server.db, plain(52))).created).toBe(52);
    const visitor = visitorId();
    await view(channel.key, visitor, older.productId);

    const newest = await walk('limit=100', {}, channel.key);
    expect(newest).toHaveLength(103);
    expect(newest.indexOf(older.productId)).toBe(52);
    const personalised = await walk('limit=40&sort=personalised', { 'x-visitor-id': visitor }, channel.key);
    const window = newest.slice(0, 100).filter((id) => id !== older.productId);
    expect(personalised).toEqual([older.productId, ...window, ...newest.slice(100)]);
  });
});
