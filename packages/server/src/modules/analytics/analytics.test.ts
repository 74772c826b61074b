import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, unique } from '../../../test/harness.js';
import { createProduct, stock } from '../cart/test-support.js';
import { checkout, newCart, pay } from '../checkout/test-support.js';

let server: TestServer;
let shop: { id: string; key: string };
let shirt: string;
let mug: string;
beforeAll(async () => {
  server = await startTestServer();
  shop = await server.newChannel();
  [shirt, mug] = await createProduct(server, [shop.id], [{ price: 2000 }, { price: 1000 }]);
  await stock(server, [shop.id], { [shirt]: 50, [mug]: 50 });
});
afterAll(() => server.close());

async function placeOrder(lines: Array<{ variant_id: string; quantity: number }>) {
  const cartId = await newCart(server, shop.key, lines);
  const response = await checkout(server, shop.key, cartId, pay());
  expect(response.statusCode, response.body).toBe(201);
  return response.json().order as { id: string; total: number; lines: Array<{ product_id: string }> };
}

async function recordViews(count: number) {
  const visitor = unique('analytics-visitor');
  await server.db
    .insertInto('personalisation_visitors')
    .values({
      id: visitor,
      channel_id: shop.id,
      customer_id: null,
      consented_at: new Date(),
      stitched_at: null,
    })
    .execute();
  const product = await server.db
    .selectFrom('variants')
    .select('product_id')
    .where('id', '=', shirt)
    .executeTakeFirstOrThrow();
  for (let i = 0; i < count; i++) {
    await server.db
      .insertInto('interactions')
      .values({
        channel_id: shop.id,
        visitor_id: visitor,
        customer_id: null,
        kind: 'product_view',
        product_id: product.product_id,
        query: null,
        list: null,
        quantity: null,
        order_id: null,
      })
      .execute();
  }
}

const overview = (query: string, auth?: string) =>
  auth
    ? server.store(auth, 'GET', `/admin/v1/analytics/overview?${query}`)
    : server.admin('GET', `/admin/v1/analytics/overview?${query}`);

describe('GET /admin/v1/analytics/overview', () => {
  it('counts placed orders per day, ranks products and reports the funnel, leaving out cancelled orders', async () => {
    await recordViews(8);
    const first = await placeOrder([
      { variant_id: shirt, quantity: 2 },
      { variant_id: mug, quantity: 1 },
    ]);
    const second = await placeOrder([{ variant_id: mug, quantity: 3 }]);
    const cancelled = await placeOrder([{ variant_id: shirt, quantity: 5 }]);
    expect((await server.admin('POST', `/admin/v1/orders/${cancelled.id}/cancel`, {})).statusCode).toBe(200);
    await newCart(server, shop.key, [{ variant_id: mug, quantity: 1 }]); // abandoned

    const response = await overview(`days=7&channel_id=${shop.id}`);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.daily).toHaveLength(7);
    const today = body.daily.at(-1);
    expect(today.date).toBe(new Date().toISOString().slice(0, 10));
    expect(today.orders).toBe(2);
    expect(today.revenue).toEqual([{ currency: 'EUR', amount: first.total + second.total }]);
    expect(body.daily.slice(0, 6).every((day: { orders: number }) => day.orders === 0)).toBe(true);

    const [mugProduct, shirtProduct] = [second.lines[0].product_id, first.lines[0].product_id];
    expect(mugProduct).toBe(shirtProduct); // one product, two variants: units add up
    expect(body.top_products).toEqual([
      expect.objectContaining({ product_id: shirtProduct, units: 6, title: 'Test product' }),
    ]);
    // 4 carts opened (3 checked out, 1 abandoned); 3 orders placed, the cancelled one included.
    expect(body.funnel).toEqual({
      views: 8,
      carts: 4,
      orders: 3,
      rates: { view_to_cart: 0.5, cart_to_order: 0.75, view_to_order: 0.375 },
    });
  });

  it('is scoped to the channel asked for', async () => {
    const other = await server.newChannel();
    const response = await overview(`days=1&channel_id=${other.id}`);
    expect(response.json()).toMatchObject({
      days: 1,
      daily: [{ orders: 0, revenue: [] }],
      top_products: [],
      funnel: { views: 0, carts: 0, orders: 0, rates: { view_to_cart: null } },
    });
  });

  it('refuses bad input and unknown channels with problem+json', async () => {
    const tooLong = await overview('days=400');
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().errors[0].field).toBe('/querystring/days');
    expect((await overview('days=7&extra=1')).statusCode).toBe(400);
    const unknown = await overview('channel_id=chan_01jd8x2k3m4n5p6q7r8s9t0v1w');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
  });

  it('needs orders:read: a catalog manager is refused, support is allowed', async () => {
    const login = async (role: string) => {
      const email = `${unique(role)}@merx.dev`;
      const password = 'staff password 1';
      const created = await server.admin('POST', '/admin/v1/staff', { email, name: role, role, password });
      expect(created.statusCode).toBe(201);
      return (await server.admin('POST', '/admin/v1/staff/login', { email, password })).json()
        .token as string;
    };
    expect((await overview('days=1', await login('catalog_manager'))).statusCode).toBe(403);
    expect((await overview('days=1', await login('support'))).statusCode).toBe(200);
  });
});
