import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/harness.js';
import { createProduct } from '../modules/cart/test-support.js';
import { compactCart, narrowFields, parseFields, shorten, speakableCart, spokenPrice } from './heads.js';

describe('narrowFields', () => {
  const product = {
    id: 'prod_1',
    title: 'Shirt',
    media: [{ url: 'a.jpg', alt: null }],
    variants: [
      { id: 'var_1', sku: 'S-1', price: { amount: 100, currency: 'EUR' } },
      { id: 'var_2', sku: 'S-2', price: null },
    ],
  };

  it('keeps listed paths, narrowing arrays element by element and list pages inside data', () => {
    expect(narrowFields(product, parseFields('id,variants.price.amount'))).toEqual({
      id: 'prod_1',
      variants: [{ price: { amount: 100 } }, { price: null }],
    });
    const page = { data: [product], has_more: false, next_cursor: null };
    expect(narrowFields(page, parseFields('title'))).toEqual({
      data: [{ title: 'Shirt' }],
      has_more: false,
      next_cursor: null,
    });
    expect(narrowFields(product, parseFields('unknown,id'))).toEqual({ id: 'prod_1' });
  });

  it('never adds a field and is idempotent', () => {
    const paths = fc.array(
      fc.constantFrom('id', 'title', 'media', 'variants.id', 'variants.price.currency'),
      {
        minLength: 1,
      },
    );
    fc.assert(
      fc.property(paths, (chosen) => {
        const once = narrowFields(product, parseFields(chosen.join(',')));
        expect(narrowFields(once, parseFields(chosen.join(',')))).toEqual(once);
        for (const key of Object.keys(once as object)) expect(key in product).toBe(true);
      }),
    );
  });

  it('refuses a malformed path as a 400', () => {
    expect(() => parseFields('id,Title')).toThrow(/not a field path/);
  });
});

describe('text for small and spoken heads', () => {
  it('shortens at a sentence or word boundary and strips markup', () => {
    expect(shorten('<p>Soft <b>linen</b>.</p> Breathes well. Made in Portugal.', 30)).toBe(
      'Soft linen. Breathes well.',
    );
    expect(shorten('A very long word list without any stops at all here', 20)).toBe('A very long word…');
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 10, max: 200 }), (text, max) => {
        expect(shorten(text, max).length).toBeLessThanOrEqual(max);
      }),
    );
  });

  it('speaks prices in minor units of the currency', () => {
    expect(spokenPrice(1999, 'EUR', 'en')).toBe('€19.99');
    expect(spokenPrice(1999, 'JPY', 'en')).toBe('¥1,999');
  });

  it('summarises a cart for a voice head', () => {
    const cart = {
      id: 'cart_1',
      status: 'active',
      currency: 'EUR',
      version: 3,
      lines: [
        {
          id: 'l1',
          variant_id: 'v1',
          product_title: 'Mug',
          variant_title: 'Blue',
          quantity: 2,
          unit_price: 500,
          total: 1000,
        },
      ],
      totals: { total: 1000 },
    };
    expect(compactCart(cart)).toMatchObject({ item_count: 2, total: 1000, lines: [{ title: 'Mug – Blue' }] });
    expect(speakableCart(cart).spoken_summary).toBe('Your cart has 2 items, €10.00 in total.');
  });
});

describe('store product routes honour the head profile and fields=', () => {
  let server: TestServer;
  let web: { id: string; key: string };
  let watch: { id: string; key: string };
  let voice: { id: string; key: string };
  let productId: string;
  beforeAll(async () => {
    server = await startTestServer();
    web = await server.newChannel({ head_profile: 'full' });
    watch = await server.newChannel({ head_profile: 'compact' });
    voice = await server.newChannel({ head_profile: 'speakable' });
    const [variantId] = await createProduct(
      server,
      [web.id, watch.id, voice.id],
      [{ price: 1999 }, { price: 2499 }],
    );
    productId = (await server.admin('GET', `/admin/v1/variants/${variantId}/prices`)).json().data[0]
      .variant_id;
    const found = await server.db
      .selectFrom('variants')
      .select('product_id')
      .where('id', '=', variantId)
      .executeTakeFirstOrThrow();
    productId = found.product_id;
  });
  afterAll(() => server.close());

  it('gives a web head the full product, a watch a compact one and a voice head a speakable one', async () => {
    const full = (await server.store(web.key, 'GET', `/store/v1/products/${productId}`)).json();
    expect(full).toHaveProperty('attributes');
    expect(full.variants[0]).toHaveProperty('sku');

    const compact = await server.store(watch.key, 'GET', `/store/v1/products/${productId}`);
    expect(compact.statusCode).toBe(200);
    expect(Object.keys(compact.json()).sort()).toEqual([
      'handle',
      'id',
      'image',
      'price',
      'short_description',
      'title',
      'variants',
    ]);
    expect(compact.json().price).toEqual({ amount: 1999, currency: 'EUR' });

    const spoken = (await server.store(voice.key, 'GET', `/store/v1/products/${productId}`)).json();
    expect(spoken.spoken_description).toMatch(/^Test product\..* It costs from €19\.99\.$/);
    expect(spoken.spoken_description.length).toBeLessThanOrEqual(250);
    expect(spoken.variants).toHaveLength(2);
    expect(Object.keys(spoken.variants[0]).sort()).toEqual(['id', 'in_stock', 'price', 'title']);

    const list = (await server.store(watch.key, 'GET', '/store/v1/products?limit=5')).json();
    expect(list.data[0]).toHaveProperty('short_description');
    expect(list).toHaveProperty('has_more');
  });

  it('narrows any of them further with fields=, with its own ETag, and refuses a bad list', async () => {
    const narrowed = await server.store(
      web.key,
      'GET',
      `/store/v1/products/${productId}?fields=id,title,variants.price`,
    );
    expect(narrowed.statusCode).toBe(200);
    expect(narrowed.json()).toEqual({
      id: productId,
      title: 'Test product',
      variants: [{ price: { amount: 1999, currency: 'EUR' } }, { price: { amount: 2499, currency: 'EUR' } }],
    });
    const full = await server.store(web.key, 'GET', `/store/v1/products/${productId}`);
    expect(narrowed.headers.etag).toBeDefined();
    expect(narrowed.headers.etag).not.toBe(full.headers.etag);
    const revalidated = await server.store(
      web.key,
      'GET',
      `/store/v1/products/${productId}?fields=id,title,variants.price`,
      undefined,
      {
        'if-none-match': String(narrowed.headers.etag),
      },
    );
    expect(revalidated.statusCode).toBe(304);
    const watchNarrowed = (
      await server.store(watch.key, 'GET', `/store/v1/products/${productId}?fields=title,price`)
    ).json();
    expect(watchNarrowed).toEqual({ title: 'Test product', price: { amount: 1999, currency: 'EUR' } });
    const bad = await server.store(web.key, 'GET', `/store/v1/products/${productId}?fields=Title;drop`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('/querystring/fields');
  });
});
