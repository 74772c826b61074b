import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { createProduct } from './test-support.js';

let server: TestServer;
let shop: { id: string; key: string };
let shirt: string;
let mug: string;
beforeAll(async () => {
  server = await startTestServer();
  shop = await server.newChannel({ currencies: ['EUR', 'USD'] });
  [shirt, mug] = await createProduct(
    server,
    [shop.id],
    [{ price: 2500 }, { price: 1200, prices: [{ currency: 'USD', amount: 1300 }] }],
  );
});
afterAll(() => server.close());

const newCart = async (body: Record<string, unknown> = {}) => {
  const response = await server.store(shop.key, 'POST', '/store/v1/carts', body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
};

const eventsOf = (cartId: string) =>
  server.db
    .selectFrom('events')
    .select(['type', 'data'])
    .where('resource_id', '=', cartId)
    .orderBy('seq')
    .execute();

describe('cart CRUD', () => {
  it('creates a cart, adds, changes and removes lines with server prices and emits the full cart', async () => {
    const cart = await newCart();
    expect(cart).toMatchObject({
      status: 'active',
      currency: 'EUR',
      channel_id: shop.id,
      version: 1,
      lines: [],
    });
    expect(cart.id).toMatch(/^cart_[0-9a-z]{26}$/);

    const added = await server.store(shop.key, 'POST', `/store/v1/carts/${cart.id}/lines`, {
      variant_id: shirt,
      quantity: 2,
    });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json()).toMatchObject({
      version: 2,
      lines: [
        {
          variant_id: shirt,
          quantity: 2,
          unit_price: 2500,
          subtotal: 5000,
          total: 5000,
          sellable: true,
          product_title: 'Test product',
        },
      ],
      totals: { subtotal: 5000, discount_total: 0, shipping_total: 0, tax_total: 0, total: 5000 },
    });

    // The same variant again increases the line instead of adding another.
    const again = await server.store(shop.key, 'POST', `/store/v1/carts/${cart.id}/lines`, {
      variant_id: shirt,
      quantity: 1,
    });
    expect(again.json().lines).toHaveLength(1);
    expect(again.json().lines[0].quantity).toBe(3);
    const lineId = again.json().lines[0].id;

    const withMug = await server.store(shop.key, 'POST', `/store/v1/carts/${cart.id}/lines`, {
      variant_id: mug,
      quantity: 1,
    });
    expect(withMug.json().totals.total).toBe(3 * 2500 + 1200);

    const changed = await server.store(shop.key, 'PATCH', `/store/v1/carts/${cart.id}/lines/${lineId}`, {
      quantity: 1,
    });
    expect(changed.json().totals.subtotal).toBe(2500 + 1200);

    const removed = await server.store(shop.key, 'DELETE', `/store/v1/carts/${cart.id}/lines/${lineId}`);
    expect(removed.statusCode).toBe(200);
    expect(removed.json()).toMatchObject({
      version: 6,
      lines: [{ variant_id: mug }],
      totals: { total: 1200 },
    });

    const read = await server.store(shop.key, 'GET', `/store/v1/carts/${cart.id}`);
    expect(read.json()).toEqual(removed.json());

    const events = await eventsOf(cart.id);
    expect(events.map((e) => e.type)).toEqual(['cart.created', ...Array(5).fill('cart.updated')]);
    expect(events.at(-1)?.data).toEqual(removed.json());
  });

  it('creates a cart with lines in another offered currency and sets contact details', async () => {
    const cart = await newCart({
      currency: 'USD',
      email: 'a@example.com',
      lines: [{ variant_id: mug, quantity: 2 }],
    });
    expect(cart).toMatchObject({ currency: 'USD', email: 'a@example.com', totals: { total: 2600 } });
    const patched = await server.store(shop.key, 'PATCH', `/store/v1/carts/${cart.id}`, {
      email: 'b@example.com',
      billing_address: { line1: 'Main St 1', city: 'Berlin', country: 'DE' },
      promotion_codes: ['NOPE'],
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({
      email: 'b@example.com',
      billing_address: { country: 'DE' },
      promotion_codes: ['NOPE'],
      rejected_codes: [{ code: 'NOPE', reason: 'unknown' }],
      applied_promotions: [],
    });
  });

  it('refuses a currency the channel does not sell and a variant without a price in the cart currency', async () => {
    const gbp = await server.store(shop.key, 'POST', '/store/v1/carts', { currency: 'GBP' });
    expect(gbp.statusCode).toBe(422);
    expect(gbp.json()).toMatchObject({ code: 'currency_not_offered', errors: [{ field: '/body/currency' }] });
    const usdCart = await newCart({ currency: 'USD' });
    const unpriced = await server.store(shop.key, 'POST', `/store/v1/carts/${usdCart.id}/lines`, {
      variant_id: shirt,
      quantity: 1,
    });
    expect(unpriced.statusCode).toBe(422);
    expect(unpriced.json().code).toBe('variant_not_sellable');
  });
});

describe('bad input changes nothing', () => {
  it.each([
    ['zero', { quantity: 0 }],
    ['negative', { quantity: -1 }],
    ['fractional', { quantity: 1.5 }],
    ['huge', { quantity: 1_000_000 }],
    ['a string', { quantity: '2' }],
    ['a tampered unit price', { quantity: 1, unit_price: 1 }],
    ['a tampered total', { quantity: 1, total: 0 }],
  ])('refuses %s quantity or field with 400', async (_, patch) => {
    const cart = await newCart();
    const response = await server.store(shop.key, 'POST', `/store/v1/carts/${cart.id}/lines`, {
      variant_id: shirt,
      ...patch,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('invalid_request');
    const after = (await server.store(shop.key, 'GET', `/store/v1/carts/${cart.id}`)).json();
    expect(after).toMatchObject({ version: 1, lines: [] });
  });

  it('refuses tampered totals on the cart and on creation as unknown fields', async () => {
    const cart = await newCart();
    const patch = await server.store(shop.key, 'PATCH', `/store/v1/carts/${cart.id}`, {
      email: 'x@example.com',
      totals: { total: 1 },
    });
    expect(patch.statusCode).toBe(400);
    expect(patch.json().errors).toContainEqual({ field: '/body/totals', message: 'is not a known field' });
    const create = await server.store(shop.key, 'POST', '/store/v1/carts', {
      lines: [{ variant_id: shirt, quantity: 1, unit_price: 1 }],
    });
    expect(create.statusCode).toBe(400);
    expect(create.json().errors).toContainEqual({
      field: '/body/lines/0/unit_price',
      message: 'is not a known field',
    });
  });

  it('refuses an unknown variant, a variant of another channel and quantities above the line limit', async () => {
    const other = await server.newChannel();
    const [foreign] = await createProduct(server, [other.id], [{ price: 100 }]);
    const cart = await newCart({ lines: [{ variant_id: shirt, quantity: 999 }] });
    for (const variantId of ['var_doesnotexist', foreign]) {
      const response = await server.store(shop.key, 'POST', `/store/v1/carts/${cart.id}/lines`, {
        variant_id: variantId,
        quantity: 1,
      });
      expect(response.statusCode).toBe(422);
      expect(response.json()).toMatchObject({
        code: 'variant_not_sellable',
        errors: [{ field: '/body/variant_id' }],
      });
    }
    const over = await server.store(shop.key, 'POST', `/store/v1/carts/${cart.id}/lines`, {
      variant_id: shirt,
      quantity: 1,
    });
    expect(over.statusCode).toBe(422);
    expect(over.json().code).toBe('quantity_limit');
    const unknownCountry = await server.store(shop.key, 'PATCH', `/store/v1/carts/${cart.id}`, {
      shipping_address: { line1: 'x', city: 'y', country: 'XX' },
    });
    expect(unknownCountry.statusCode).toBe(422);
    const after = (await server.store(shop.key, 'GET', `/store/v1/carts/${cart.id}`)).json();
    expect(after).toMatchObject({
      version: 1,
      lines: [{ variant_id: shirt, quantity: 999 }],
      shipping_address: null,
    });
  });

  it('refuses a 101st line', async () => {
    const variants = await createProduct(
      server,
      [shop.id],
      Array.from({ length: 101 }, (_, i) => ({ price: 100 + i })),
    );
    const cart = await newCart({
      lines: variants.slice(0, 100).map((variant_id) => ({ variant_id, quantity: 1 })),
    });
    expect(cart.lines).toHaveLength(100);
    const extra = await server.store(shop.key, 'POST', `/store/v1/carts/${cart.id}/lines`, {
      variant_id: variants[100],
      quantity: 1,
    });
    expect(extra.statusCode).toBe(422);
    expect(extra.json().code).toBe('line_limit');
  });

  it('answers a stale If-Match with 409 and the current cart, and changes nothing', async () => {
    const cart = await newCart();
    const phone = await server.store(
      shop.key,
      'POST',
      `/store/v1/carts/${cart.id}/lines`,
      { variant_id: shirt, quantity: 1 },
      { 'if-match': '1' },
    );
    expect(phone.statusCode).toBe(200);
    const laptop = await server.store(
      shop.key,
      'POST',
      `/store/v1/carts/${cart.id}/lines`,
      { variant_id: mug, quantity: 1 },
      { 'if-match': '1' },
    );
    expect(laptop.statusCode).toBe(409);
    expect(laptop.json()).toMatchObject({
      code: 'version_conflict',
      current: { version: 2, lines: [{ variant_id: shirt }] },
    });
    expect((await server.store(shop.key, 'GET', `/store/v1/carts/${cart.id}`)).json().lines).toHaveLength(1);
    const badHeader = await server.store(
      shop.key,
      'PATCH',
      `/store/v1/carts/${cart.id}`,
      { email: 'a@b.co' },
      { 'if-match': 'abc' },
    );
    expect(badHeader.statusCode).toBe(400);
  });

  it('answers unknown carts and lines with 404', async () => {
    expect((await server.store(shop.key, 'GET', '/store/v1/carts/cart_unknown')).statusCode).toBe(404);
    const cart = await newCart();
    const line = await server.store(shop.key, 'PATCH', `/store/v1/carts/${cart.id}/lines/cali_unknown`, {
      quantity: 2,
    });
    expect(line.statusCode).toBe(404);
  });
});

describe('price changes', () => {
  it('re-selects prices on every read and reports the price the shopper last saw', async () => {
    const [variant] = await createProduct(server, [shop.id], [{ price: 1000 }]);
    const cart = await newCart({ lines: [{ variant_id: variant, quantity: 1 }] });
    const product = (await server.admin('GET', `/admin/v1/products?limit=100`)).json();
    const price = product.data
      .flatMap((p: { variants: Array<{ id: string; prices: Array<{ id: string }> }> }) => p.variants)
      .find((v: { id: string }) => v.id === variant).prices[0];
    const repriced = await server.admin('PATCH', `/admin/v1/prices/${price.id}`, { amount: 800 });
    expect(repriced.statusCode, repriced.body).toBe(200);
    const read = (await server.store(shop.key, 'GET', `/store/v1/carts/${cart.id}`)).json();
    expect(read.lines[0]).toMatchObject({ unit_price: 800, previous_unit_price: 1000 });
    expect(read.totals.total).toBe(800);
  });
});

describe('promotion codes', () => {
  it('applies an entered code with prorated line discounts, rejects others, and drops it when removed', async () => {
    const code = `SAVE${Date.now() % 100000}`;
    const promotion = await server.admin('POST', '/admin/v1/promotions', {
      name: '10% off',
      code,
      kind: 'percentage',
      value: 1000,
      conditions: { channel_ids: [shop.id] },
    });
    expect(promotion.statusCode, promotion.body).toBe(201);
    const cart = await newCart({
      lines: [
        { variant_id: shirt, quantity: 1 },
        { variant_id: mug, quantity: 1 },
      ],
    });
    const applied = await server.store(shop.key, 'PATCH', `/store/v1/carts/${cart.id}`, {
      promotion_codes: [code.toLowerCase(), 'UNKNOWN'],
    });
    expect(applied.statusCode, applied.body).toBe(200);
    const body = applied.json();
    expect(body.applied_promotions).toEqual([{ promotion_id: promotion.json().id, code, amount: 370 }]);
    expect(body.rejected_codes).toEqual([{ code: 'UNKNOWN', reason: 'unknown' }]);
    expect(body.lines.map((l: { discount: number }) => l.discount)).toEqual([250, 120]);
    expect(body.totals).toMatchObject({ subtotal: 3700, discount_total: 370, total: 3330 });

    const removed = (
      await server.store(shop.key, 'PATCH', `/store/v1/carts/${cart.id}`, { promotion_codes: [] })
    ).json();
    expect(removed).toMatchObject({ applied_promotions: [], totals: { discount_total: 0, total: 3700 } });
  });
});
