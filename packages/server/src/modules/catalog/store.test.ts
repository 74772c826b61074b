import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, unique } from '../../../test/harness.js';
import { getSellableVariants } from './sellable.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

interface Fixture {
  channel: { id: string; key: string };
  other: { id: string; key: string };
  parent: { id: string; handle: string };
  child: { id: string; handle: string };
  collection: { id: string; handle: string };
  products: Record<string, { id: string; handle: string; variants: Array<{ id: string; sku: string }> }>;
}

async function product(body: Record<string, unknown>) {
  const response = await server.admin('POST', '/admin/v1/products', body);
  expect(response.statusCode).toBe(201);
  return response.json();
}

/** A channel with five products (one draft, one archived) and a second channel selling one of its own. */
async function fixture(): Promise<Fixture> {
  const channel = await server.newChannel({ currencies: ['EUR', 'USD'] });
  const other = await server.newChannel();
  const parent = (
    await server.admin('POST', '/admin/v1/categories', { handle: unique('apparel'), name: 'Apparel' })
  ).json();
  const child = (
    await server.admin('POST', '/admin/v1/categories', {
      handle: unique('shirts'),
      name: 'Shirts',
      parent_id: parent.id,
    })
  ).json();
  const collection = (
    await server.admin('POST', '/admin/v1/collections', { handle: unique('sale'), title: 'Sale' })
  ).json();
  const sized = (title: string, prices: number[], extra: Record<string, unknown> = {}) => ({
    handle: unique('p'),
    title,
    status: 'published',
    channel_ids: [channel.id],
    options: [{ name: 'Size', values: ['S', 'M', 'L'] }],
    variants: prices.map((amount, i) => ({
      sku: unique('SKU'),
      options: { Size: ['S', 'M', 'L'][i] },
      prices: [
        { currency: 'EUR', amount },
        { currency: 'USD', amount: amount + 100 },
      ],
    })),
    ...extra,
  });
  const products: Fixture['products'] = {};
  products.apple = await product(sized('Apple shirt', [3000, 3500], { category_ids: [child.id] }));
  products.banana = await product(
    sized('Banana hat', [1000], { category_ids: [parent.id], collection_ids: [collection.id] }),
  );
  products.cherry = await product(
    sized('Cherry coat', [9000, 8000, 7000], { media: [{ url: 'https://cdn.example.com/c.jpg' }] }),
  );
  products.unpriced = await product({
    handle: unique('p'),
    title: 'Dull thing',
    status: 'published',
    channel_ids: [channel.id],
    variants: [{ sku: unique('SKU') }],
  });
  products.draft = await product(sized('Draft shirt', [100], { status: 'draft' }));
  products.archived = await product(sized('Old shirt', [100], { status: 'archived' }));
  products.elsewhere = await product(sized('Elsewhere shirt', [100], { channel_ids: [other.id] }));
  // A channel price beats the base price for this channel only.
  await server.admin('POST', `/admin/v1/variants/${products.cherry.variants[2].id}/prices`, {
    currency: 'EUR',
    amount: 6500,
    channel_id: channel.id,
  });
  return { channel, other, parent, child, collection, products };
}

let f: Fixture;
beforeAll(async () => {
  f = await fixture();
});

const list = async (query = '', key = f.channel.key) => {
  const response = await server.store(key, 'GET', `/store/v1/products${query ? `?${query}` : ''}`);
  expect(response.statusCode).toBe(200);
  return response.json() as {
    data: Array<{ id: string; title: string; price_range: unknown; variants: Array<{ price: unknown }> }>;
    next_cursor: string | null;
    has_more: boolean;
  };
};
const titles = async (query = '') => (await list(query)).data.map((p) => p.title);

describe('store product visibility', () => {
  it('lists only published products of the key’s channel', async () => {
    expect(await titles()).toEqual(['Dull thing', 'Cherry coat', 'Banana hat', 'Apple shirt']);
    expect((await list('', f.other.key)).data.map((p) => p.title)).toEqual(['Elsewhere shirt']);
  });

  it('answers 404 for drafts, archived products and other channels’ products', async () => {
    for (const hidden of [f.products.draft, f.products.archived, f.products.elsewhere]) {
      expect((await server.store(f.channel.key, 'GET', `/store/v1/products/${hidden.id}`)).statusCode).toBe(
        404,
      );
      expect(
        (await server.store(f.channel.key, 'GET', `/store/v1/products/${hidden.handle}`)).statusCode,
      ).toBe(404);
    }
    expect(
      (await server.store(f.other.key, 'GET', `/store/v1/products/${f.products.apple.handle}`)).statusCode,
    ).toBe(404);
    expect(
      (await server.store(f.other.key, 'GET', `/store/v1/products/${f.products.elsewhere.handle}`))
        .statusCode,
    ).toBe(200);
  });

  it('shows a product by ID or handle with channel prices, categories and availability', async () => {
    const byHandle = await server.store(
      f.channel.key,
      'GET',
      `/store/v1/products/${f.products.cherry.handle}`,
    );
    expect(byHandle.statusCode).toBe(200);
    const cherry = byHandle.json();
    expect(cherry.variants.map((v: { price: { amount: number } }) => v.price.amount)).toEqual([
      9000, 8000, 6500,
    ]);
    expect(cherry.price_range).toEqual({ currency: 'EUR', min: 6500, max: 9000 });
    expect(cherry.media).toEqual([{ url: 'https://cdn.example.com/c.jpg', alt: null }]);
    expect(cherry.variants[0]).toHaveProperty('availability');
    const byId = await server.store(
      f.channel.key,
      'GET',
      `/store/v1/products/${f.products.cherry.id}?currency=USD`,
    );
    expect(byId.json().variants.map((v: { price: { amount: number } }) => v.price)).toEqual([
      { amount: 9100, currency: 'USD' },
      { amount: 8100, currency: 'USD' },
      { amount: 7100, currency: 'USD' },
    ]);
    const apple = (
      await server.store(f.channel.key, 'GET', `/store/v1/products/${f.products.apple.handle}`)
    ).json();
    expect(apple.category_ids).toEqual([f.child.id]);
    const wrongCurrency = await server.store(
      f.channel.key,
      'GET',
      `/store/v1/products/${f.products.apple.handle}?currency=GBP`,
    );
    expect(wrongCurrency.statusCode).toBe(400);
    expect(wrongCurrency.json().errors[0].field).toBe('/querystring/currency');
  });

  it('hides a product as soon as it leaves the assortment or is unpublished', async () => {
    const p = await product({
      handle: unique('p'),
      title: 'Fleeting',
      status: 'published',
      channel_ids: [f.other.id],
    });
    const url = `/store/v1/products/${p.handle}`;
    expect((await server.store(f.other.key, 'GET', url)).statusCode).toBe(200);
    await server.admin('PATCH', `/admin/v1/products/${p.id}`, { status: 'archived' });
    expect((await server.store(f.other.key, 'GET', url)).statusCode).toBe(404);
    await server.admin('PATCH', `/admin/v1/products/${p.id}`, { status: 'published' });
    await server.admin('PUT', `/admin/v1/channels/${f.other.id}/products`, { remove: [p.id] });
    expect((await server.store(f.other.key, 'GET', url)).statusCode).toBe(404);
  });
});

describe('store product list', () => {
  it('filters by category including subcategories, by collection, by ID or handle', async () => {
    expect(await titles(`category=${f.parent.id}`)).toEqual(['Banana hat', 'Apple shirt']);
    expect(await titles(`category=${f.child.handle}`)).toEqual(['Apple shirt']);
    expect(await titles(`collection=${f.collection.handle}`)).toEqual(['Banana hat']);
    expect(await titles('category=no-such-category')).toEqual([]);
  });

  it('filters by price range, option values and text', async () => {
    expect(await titles('price_min=3200&price_max=7000')).toEqual(['Cherry coat', 'Apple shirt']);
    // In USD the coat costs 7100 at least: the channel's EUR price does not apply.
    expect(await titles('price_min=3200&price_max=7000&currency=USD')).toEqual(['Apple shirt']);
    expect(await titles('option=Size:L')).toEqual(['Cherry coat']);
    expect(await titles('option=Size:M&option=Size:L')).toEqual(['Cherry coat', 'Apple shirt']);
    expect(await titles('q=SHIRT')).toEqual(['Apple shirt']);
    expect(await titles('q=%25')).toEqual([]);
    expect((await server.store(f.channel.key, 'GET', '/store/v1/products?option=Size')).statusCode).toBe(400);
    expect((await server.store(f.channel.key, 'GET', '/store/v1/products?price_min=-1')).statusCode).toBe(
      400,
    );
    expect((await server.store(f.channel.key, 'GET', '/store/v1/products?color=red')).statusCode).toBe(400);
  });

  it('sorts by price (unpriced last) and title', async () => {
    expect(await titles('sort=price_asc')).toEqual([
      'Banana hat',
      'Apple shirt',
      'Cherry coat',
      'Dull thing',
    ]);
    expect(await titles('sort=price_desc')).toEqual([
      'Cherry coat',
      'Apple shirt',
      'Banana hat',
      'Dull thing',
    ]);
    expect(await titles('sort=title')).toEqual(['Apple shirt', 'Banana hat', 'Cherry coat', 'Dull thing']);
    const banana = (await list('sort=price_asc')).data[0];
    expect(banana?.price_range).toEqual({ currency: 'EUR', min: 1000, max: 1000 });
  });

  it('pages through every sort with cursors, each product exactly once, in order', async () => {
    for (const sort of ['newest', 'price_asc', 'price_desc', 'title']) {
      const all = await titles(`sort=${sort}`);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof list>> = await list(
          `sort=${sort}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        );
        paged.push(...page.data.map((p) => p.title));
        cursor = page.next_cursor;
      } while (cursor);
      expect(paged).toEqual(all);
    }
    const first = await list('sort=title&limit=1');
    const mismatch = await server.store(
      f.channel.key,
      'GET',
      `/store/v1/products?sort=newest&cursor=${first.next_cursor}`,
    );
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().code).toBe('invalid_cursor');
  });

  it('keeps a cursor stable when products are added meanwhile', async () => {
    const firstPage = await list('limit=2');
    await product({
      handle: unique('p'),
      title: 'Newcomer',
      status: 'published',
      channel_ids: [f.channel.id],
    });
    const rest = await list(`limit=10&cursor=${firstPage.next_cursor}`);
    expect(rest.data.map((p) => p.title)).toEqual(['Banana hat', 'Apple shirt']);
  });

  it('answers a repeated request with 304 when the ETag matches', async () => {
    const first = await server.store(f.channel.key, 'GET', '/store/v1/products?sort=title');
    expect(first.headers['cache-control']).toBe('public, max-age=30');
    const etag = String(first.headers.etag);
    const again = await server.store(f.channel.key, 'GET', '/store/v1/products?sort=title', undefined, {
      'if-none-match': etag,
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    await server.admin('PATCH', `/admin/v1/products/${f.products.banana.id}`, {
      description: 'Now with a brim',
    });
    const changed = await server.store(f.channel.key, 'GET', '/store/v1/products?sort=title', undefined, {
      'if-none-match': etag,
    });
    expect(changed.statusCode).toBe(200);
  });
});

describe('store categories and collections', () => {
  it('returns the category tree ordered by position', async () => {
    const root = (
      await server.admin('POST', '/admin/v1/categories', { handle: unique('root'), name: 'Root' })
    ).json();
    await server.admin('POST', '/admin/v1/categories', {
      handle: unique('b'),
      name: 'Second',
      parent_id: root.id,
      position: 2,
    });
    await server.admin('POST', '/admin/v1/categories', {
      handle: unique('a'),
      name: 'First',
      parent_id: root.id,
      position: 1,
    });
    const response = await server.store(f.channel.key, 'GET', '/store/v1/categories');
    expect(response.headers.etag).toBeDefined();
    const tree = response.json().data;
    const node = tree.find((c: { id: string }) => c.id === root.id);
    expect(node.children.map((c: { name: string }) => c.name)).toEqual(['First', 'Second']);
    const apparel = tree.find((c: { id: string }) => c.id === f.parent.id);
    expect(apparel.children.map((c: { id: string }) => c.id)).toEqual([f.child.id]);
    const collections = (await server.store(f.channel.key, 'GET', '/store/v1/collections')).json().data;
    expect(collections).toContainEqual({
      id: f.collection.id,
      handle: f.collection.handle,
      title: 'Sale',
      description: '',
    });
  });
});

describe('getSellableVariants', () => {
  it('returns only variants the channel sells, priced for the shopper', async () => {
    const ids = [
      ...f.products.cherry.variants.map((v) => v.id),
      f.products.draft.variants[0]?.id as string,
      f.products.elsewhere.variants[0]?.id as string,
      'var_unknown',
    ];
    const sellable = await getSellableVariants(server.db, {
      channelId: f.channel.id,
      currency: 'EUR',
      variantIds: ids,
    });
    expect([...sellable.keys()].sort()).toEqual(f.products.cherry.variants.map((v) => v.id).sort());
    const cheapest = sellable.get(f.products.cherry.variants[2]?.id as string);
    expect(cheapest).toMatchObject({
      productId: f.products.cherry.id,
      productHandle: f.products.cherry.handle,
      productTitle: 'Cherry coat',
      optionValues: { Size: 'L' },
      unitPrice: 6500,
      imageUrl: 'https://cdn.example.com/c.jpg',
      categoryIds: [],
      collectionIds: [],
    });
    const apple = await getSellableVariants(server.db, {
      channelId: f.channel.id,
      currency: 'USD',
      variantIds: [f.products.apple.variants[0]?.id as string],
    });
    expect([...apple.values()][0]).toMatchObject({
      unitPrice: 3100,
      categoryIds: [f.child.id],
      imageUrl: null,
    });
    const unpriced = await getSellableVariants(server.db, {
      channelId: f.channel.id,
      currency: 'EUR',
      variantIds: [f.products.unpriced.variants[0]?.id as string],
    });
    expect([...unpriced.values()][0]?.unitPrice).toBeNull();
  });
});
