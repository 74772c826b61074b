import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMerx } from '../../../test/cli.js';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { session, signedInCustomer } from '../cart/test-support.js';
import { checkout, newCart } from '../checkout/test-support.js';
import { registerRecsRebuildCommand } from './cli.js';
import { rebuildRecommendations } from './rebuild.js';
import {
  newCategory,
  placedOrder,
  recsCounts,
  type ShelfProduct,
  shelfProduct,
  visitorId,
} from './test-support.js';

let server: TestServer;
let shop: { id: string; key: string };
let other: { id: string; key: string };
let a: ShelfProduct;
let b: ShelfProduct;
let c: ShelfProduct;
let soldOut: ShelfProduct;
let elsewhere: ShelfProduct;

interface Item {
  product_id: string;
  title: string;
  reason: string;
  price: { amount: number; currency: string };
}

async function recs(query: string, headers: Record<string, string> = {}, key = shop.key): Promise<Item[]> {
  const response = await server.store(key, 'GET', `/store/v1/recommendations?${query}`, undefined, headers);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().data;
}

const ids = (items: Item[]) => items.map((item) => item.product_id);

beforeAll(async () => {
  server = await startTestServer();
  shop = await server.newChannel();
  other = await server.newChannel();
  a = await shelfProduct(server, [shop.id], { title: 'Espresso machine', price: 30000 });
  b = await shelfProduct(server, [shop.id], { title: 'Coffee beans', price: 1200 });
  c = await shelfProduct(server, [shop.id], { title: 'Milk jug', price: 900 });
  soldOut = await shelfProduct(server, [shop.id], { title: 'Tamper', stock: 0 });
  elsewhere = await shelfProduct(server, [other.id], { title: 'Descaler' });
  // The known history: A with B four times, with C once, with the sold-out tamper twice and
  // with a product this channel does not sell twice.
  for (let i = 0; i < 4; i++) await placedOrder(server, { channelId: shop.id, products: [a, b] });
  await placedOrder(server, { channelId: shop.id, products: [a, c] });
  for (let i = 0; i < 2; i++) await placedOrder(server, { channelId: shop.id, products: [a, soldOut] });
  for (let i = 0; i < 2; i++) await placedOrder(server, { channelId: shop.id, products: [a, elsewhere] });
});
afterAll(() => server.close());

describe('bought together and related', () => {
  it('recommends what is bought with the product, strongest first, only what the channel sells in stock', async () => {
    const items = await recs(`product=${a.productId}&intent=complementary`);
    expect(ids(items).slice(0, 2)).toEqual([b.productId, c.productId]);
    expect(items[0]).toMatchObject({
      title: 'Coffee beans',
      reason: 'bought together with Espresso machine',
      price: { amount: 1200, currency: 'EUR' },
    });
    expect(ids(items)).not.toContain(soldOut.productId);
    expect(ids(items)).not.toContain(elsewhere.productId);
    expect(ids(items)).not.toContain(a.productId);

    const related = await recs(`product=${a.productId}`);
    expect(related[0]).toMatchObject({
      product_id: b.productId,
      reason: 'viewed or bought together with Espresso machine',
    });
  });

  it('completes a cart without offering what is already in it', async () => {
    const cartId = await newCart(server, shop.key, [
      { variant_id: a.variantId, quantity: 1 },
      { variant_id: b.variantId, quantity: 1 },
    ]);
    const items = await recs(`cart=${cartId}`);
    expect(items[0]).toMatchObject({
      product_id: c.productId,
      reason: 'bought together with Espresso machine',
    });
    expect(ids(items)).not.toContain(a.productId);
    expect(ids(items)).not.toContain(b.productId);
    // Another channel's key cannot open this anonymous cart.
    const foreign = await server.store(other.key, 'GET', `/store/v1/recommendations?cart=${cartId}`);
    expect(foreign.statusCode).toBe(404);
  });

  it('gives the same answer after a full rebuild, whose counts equal the incremental ones', async () => {
    const snapshot = () => recsCounts(server.db);
    const incremental = await snapshot();
    const report = await rebuildRecommendations(server.db);
    expect(report.orders).toBe(9);
    expect(await snapshot()).toEqual(incremental);
    const items = await recs(`product=${a.productId}&intent=complementary`);
    expect(ids(items).slice(0, 2)).toEqual([b.productId, c.productId]);
  });

  it('falls back to similar products for a product nobody bought yet', async () => {
    const grinders = await newCategory(server);
    const cold = await shelfProduct(server, [shop.id], {
      title: 'Burr grinder',
      categoryIds: [grinders],
      attributes: { brand: 'Mahlwerk' },
    });
    const similar = await shelfProduct(server, [shop.id], {
      title: 'Hand burr grinder',
      categoryIds: [grinders],
      attributes: { brand: 'Mahlwerk' },
    });
    const items = await recs(`product=${cold.productId}&intent=related`);
    expect(items[0]).toMatchObject({ product_id: similar.productId, reason: 'similar to Burr grinder' });
    // The rest is filled from trending.
    expect(items.slice(1).every((item) => item.reason === 'popular this week')).toBe(true);
  });
});

describe('trending, for you, recently viewed', () => {
  it('decays popularity with time: one sale today beats three three weeks ago', async () => {
    const channel = await server.newChannel();
    const old = await shelfProduct(server, [channel.id], { title: 'Old favourite' });
    const fresh = await shelfProduct(server, [channel.id], { title: 'New hit' });
    const threeWeeksAgo = new Date(Date.now() - 21 * 24 * 3600 * 1000);
    for (let i = 0; i < 3; i++)
      await placedOrder(server, { channelId: channel.id, products: [old], placedAt: threeWeeksAgo });
    await placedOrder(server, { channelId: channel.id, products: [fresh] });
    const items = await recs('intent=trending', {}, channel.key);
    expect(ids(items)).toEqual([fresh.productId, old.productId]);
    expect(items[0].reason).toBe('popular this week');
    // 1 vs 3 × 2^-3: the scores are today's decayed popularity.
    const scores = (
      await server.store(channel.key, 'GET', '/store/v1/recommendations?intent=trending')
    ).json().data;
    expect(scores[0].score).toBeCloseTo(1, 3);
    expect(scores[1].score).toBeCloseTo(0.375, 3);
  });

  it('filters trending to what the channel sells and has in stock', async () => {
    const items = await recs('intent=trending&limit=20');
    expect(ids(items)).toContain(a.productId);
    expect(ids(items)).not.toContain(soldOut.productId);
    expect(ids(items)).not.toContain(elsewhere.productId);
  });

  it('shows trending to a shopper without history, and their own neighbours once they have some', async () => {
    const trending = await recs('intent=trending');
    const anonymous = await recs('intent=for_you');
    expect(ids(anonymous)).toEqual(ids(trending));

    const visitor = visitorId();
    const tracked = await server.store(shop.key, 'POST', '/store/v1/events', {
      visitor_id: visitor,
      consent: true,
      events: [{ type: 'product_view', product_id: a.productId }],
    });
    expect(tracked.json().stored).toBe(1);
    const mine = await recs('intent=for_you', { 'x-visitor-id': visitor });
    expect(mine.find((item) => item.product_id === b.productId)?.reason).toBe(
      'because you viewed Espresso machine',
    );
    expect(mine.find((item) => item.product_id === a.productId)?.reason).toBe('you viewed this');

    await server.store(shop.key, 'POST', '/store/v1/events', {
      visitor_id: visitor,
      events: [{ type: 'product_view', product_id: c.productId }],
    });
    const recent = await recs('intent=recently_viewed', { 'x-visitor-id': visitor });
    expect(ids(recent)).toEqual([c.productId, a.productId]);
    expect(recent[0].reason).toBe('you viewed this recently');
    // A visitor ID without consent has no history at all.
    expect(await recs('intent=recently_viewed', { 'x-visitor-id': visitorId() })).toEqual([]);
  });
});

describe('from checkout to recommendations', () => {
  it('counts a placed order through the order.placed subscriber and records the consenting buyer’s purchase', async () => {
    const d = await shelfProduct(server, [shop.id], { title: 'Cleaning tablets' });
    const buyer = await signedInCustomer(server, shop.key);
    await server.store(
      shop.key,
      'PATCH',
      '/store/v1/customers/me',
      { consent_personalisation: true },
      session(buyer.token),
    );
    const cartId = await newCart(
      server,
      shop.key,
      [
        { variant_id: a.variantId, quantity: 1 },
        { variant_id: d.variantId, quantity: 2 },
      ],
      {},
      session(buyer.token),
    );
    const placed = await checkout(server, shop.key, cartId, undefined, session(buyer.token));
    expect(placed.statusCode, placed.body).toBe(201);
    const orderId = placed.json().order.id ?? placed.json().order_id;
    // The subscriber runs from the durable queue (polled every second), after the commit.
    const deadline = Date.now() + 45_000;
    let counted = false;
    while (!counted && Date.now() < deadline) {
      counted = Boolean(
        await server.db
          .selectFrom('recs_counted_orders')
          .select('order_id')
          .where('order_id', '=', orderId)
          .executeTakeFirst(),
      );
      if (!counted) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(counted).toBe(true);
    const items = await recs(`product=${d.productId}&intent=complementary`);
    expect(items[0]).toMatchObject({
      product_id: a.productId,
      reason: 'bought together with Cleaning tablets',
    });
    const purchases = await server.db
      .selectFrom('interactions')
      .select(['product_id', 'quantity'])
      .where('customer_id', '=', buyer.id)
      .where('kind', '=', 'purchase')
      .orderBy('product_id')
      .execute();
    expect(purchases).toEqual(
      [
        { product_id: a.productId, quantity: 1 },
        { product_id: d.productId, quantity: 2 },
      ].sort((x, y) => (x.product_id < y.product_id ? -1 : 1)),
    );
  });
});

describe('bad requests', () => {
  it('answers precise problems', async () => {
    const get = (query: string) => server.store(shop.key, 'GET', `/store/v1/recommendations?${query}`);
    const noIntent = await get('');
    expect(noIntent.statusCode).toBe(400);
    expect(noIntent.json().errors[0].field).toBe('/querystring/intent');
    expect((await get(`intent=related`)).json().errors[0].field).toBe('/querystring/product');
    expect((await get(`intent=trending&product=${a.productId}`)).statusCode).toBe(400);
    expect((await get('limit=21&intent=trending')).statusCode).toBe(400);
    expect((await get('intent=trending&currency=USD')).statusCode).toBe(400);
    expect((await get('intent=surprise')).statusCode).toBe(400);
    const unknown = await get('product=prod_00000000000000000000000000');
    expect(unknown.statusCode).toBe(404);
    expect((await get('cart=cart_00000000000000000000000000')).statusCode).toBe(404);
  });
});

describe('personalised search ranking', () => {
  it('lifts results in the categories and brands the shopper engaged with', async () => {
    const channel = await server.newChannel();
    const running = await newCategory(server);
    const camping = await newCategory(server);
    const sport = await shelfProduct(server, [channel.id], {
      title: 'Sport bottle',
      categoryIds: [running],
      attributes: { brand: 'Fleet' },
    });
    const steel = await shelfProduct(server, [channel.id], {
      title: 'Steel bottle',
      categoryIds: [camping],
      attributes: { brand: 'Peak' },
    });
    const shoe = await shelfProduct(server, [channel.id], { title: 'Trail shoe', categoryIds: [running] });
    const tent = await shelfProduct(server, [channel.id], { title: 'Tent', categoryIds: [camping] });
    const runner = visitorId();
    const camper = visitorId();
    for (const [visitor, viewed] of [
      [runner, shoe],
      [camper, tent],
    ] as const) {
      const tracked = await server.store(channel.key, 'POST', '/store/v1/events', {
        visitor_id: visitor,
        consent: true,
        events: [{ type: 'product_view', product_id: viewed.productId }],
      });
      expect(tracked.json().stored).toBe(1);
    }
    const search = async (visitor: string) => {
      const response = await server.store(
        channel.key,
        'GET',
        '/store/v1/search?q=bottle&sort=personalised',
        undefined,
        { 'x-visitor-id': visitor },
      );
      expect(response.statusCode, response.body).toBe(200);
      return response.json().data.map((hit: { id: string }) => hit.id);
    };
    expect(await search(runner)).toEqual([sport.productId, steel.productId]);
    expect(await search(camper)).toEqual([steel.productId, sport.productId]);
  });
});

describe('merx recs rebuild', () => {
  it('rebuilds through the CLI, reporting each stage', async () => {
    const { output, failures } = await runMerx(
      server,
      [(program, context) => registerRecsRebuildCommand(program.command('recs'), context)],
      ['recs', 'rebuild'],
    );
    expect(failures).toEqual([]);
    expect(output).toMatch(
      /^Rebuilt recommendations from \d+ orders: \d+ products bought, \d+ co-purchase pairs/,
    );

    const stages: string[] = [];
    const report = await rebuildRecommendations(server.db, (progress) => {
      if (stages.at(-1) !== progress.stage) stages.push(progress.stage);
    });
    expect(stages).toEqual(['counting', 'modelling', 'writing']);
    const rows = await server.db
      .selectFrom('recs_neighbours')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBe(report.neighbourRows);
    expect(report.neighbourRows).toBeGreaterThan(0);
  });
});
