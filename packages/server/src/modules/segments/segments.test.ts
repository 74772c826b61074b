import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, unique } from '../../../test/harness.js';
import { session, signedInCustomer } from '../cart/test-support.js';
import { getSellableVariants } from '../catalog/index.js';
import {
  newCategory,
  placedOrder,
  type ShelfProduct,
  shelfProduct,
  visitorId,
} from '../personalisation/test-support.js';
import { getCustomerSegmentIds } from './membership.js';

let server: TestServer;
let shop: { id: string; key: string };
let coffee: string;
let espresso: string;
let beans: ShelfProduct;
let shirt: ShelfProduct;
let vip: string;
let alice: { id: string; token: string };
let bob: { id: string; token: string };
let carol: { id: string; token: string };
const DAY = 24 * 3600 * 1000;

async function address(customer: { token: string }, country: string) {
  const response = await server.store(
    shop.key,
    'POST',
    '/store/v1/customers/me/addresses',
    { line1: '1 High Street', city: 'Town', country, is_default_shipping: true },
    session(customer.token),
  );
  expect(response.statusCode, response.body).toBe(201);
}

async function createSegment(rules: unknown, extra: Record<string, unknown> = {}) {
  const response = await server.admin('POST', '/admin/v1/segments', {
    name: unique('Segment'),
    rules,
    ...extra,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; version: number };
}

async function members(segmentId: string, refresh = false): Promise<string[]> {
  const response = await server.admin(
    'GET',
    `/admin/v1/segments/${segmentId}/customers?limit=100${refresh ? '&refresh=true' : ''}`,
  );
  expect(response.statusCode, response.body).toBe(200);
  return response.json().data.map((c: { id: string }) => c.id);
}

const sorted = (ids: string[]) => [...ids].sort();

beforeAll(async () => {
  server = await startTestServer();
  shop = await server.newChannel();
  coffee = await newCategory(server);
  espresso = await newCategory(server, coffee);
  beans = await shelfProduct(server, [shop.id], { title: 'Beans', categoryIds: [espresso] });
  shirt = await shelfProduct(server, [shop.id], { title: 'Shirt' });
  const group = await server.admin('POST', '/admin/v1/customer-groups', { name: unique('VIP') });
  vip = group.json().id;

  // Alice: GB, VIP, two orders (600.00 EUR), the last 5 days ago, coffee among them.
  alice = await signedInCustomer(server, shop.key);
  await address(alice, 'GB');
  await server.admin('POST', `/admin/v1/customer-groups/${vip}/members`, { customer_ids: [alice.id] });
  await placedOrder(server, {
    channelId: shop.id,
    customerId: alice.id,
    products: [shirt],
    total: 20000,
    placedAt: new Date(Date.now() - 40 * DAY),
  });
  await placedOrder(server, {
    channelId: shop.id,
    customerId: alice.id,
    products: [beans],
    total: 40000,
    placedAt: new Date(Date.now() - 5 * DAY),
  });
  // Bob: FR, one small order 100 days ago.
  bob = await signedInCustomer(server, shop.key);
  await address(bob, 'FR');
  await placedOrder(server, {
    channelId: shop.id,
    customerId: bob.id,
    products: [shirt],
    total: 1000,
    placedAt: new Date(Date.now() - 100 * DAY),
  });
  // Carol: never ordered, consents and viewed espresso beans today.
  carol = await signedInCustomer(server, shop.key);
  await server.store(
    shop.key,
    'PATCH',
    '/store/v1/customers/me',
    { consent_personalisation: true },
    session(carol.token),
  );
  const viewed = await server.store(
    shop.key,
    'POST',
    '/store/v1/events',
    { events: [{ type: 'product_view', product_id: beans.productId }] },
    session(carol.token),
  );
  expect(viewed.json().stored).toBe(1);
});
afterAll(() => server.close());

describe('segment rules', () => {
  it('evaluates each kind of condition', async () => {
    const cases: Array<[unknown, string[]]> = [
      [{ field: 'country', values: ['GB', 'IE'] }, [alice.id]],
      [{ field: 'customer_group', values: [vip] }, [alice.id]],
      [{ field: 'lifetime_spend', op: 'gte', value: 50000, currency: 'EUR' }, [alice.id]],
      [{ field: 'order_count', op: 'eq', value: 1 }, [bob.id]],
      [{ field: 'days_since_last_order', op: 'lte', value: 30 }, [alice.id]],
      [{ field: 'days_since_last_order', op: 'gte', value: 60 }, [bob.id]],
      // The category or any below it: beans are in espresso, a child of coffee.
      [{ field: 'bought_category', category_id: coffee, within_days: 30 }, [alice.id]],
      [{ field: 'bought_category', category_id: coffee, within_days: 3 }, []],
      [{ field: 'viewed_category', category_id: coffee, within_days: 7 }, [carol.id]],
      [{ field: 'channel', values: [shop.id] }, [alice.id, bob.id, carol.id]],
    ];
    for (const [condition, expected] of cases) {
      const segment = await createSegment({ match: 'all', conditions: [condition] });
      const found = (await members(segment.id)).filter((id) => [alice.id, bob.id, carol.id].includes(id));
      expect(sorted(found), JSON.stringify(condition)).toEqual(sorted(expected));
    }
  });

  it('combines conditions with all / any, one level of groups deep', async () => {
    const segment = await createSegment({
      match: 'any',
      conditions: [
        { field: 'country', values: ['FR'] },
        {
          match: 'all',
          conditions: [
            { field: 'order_count', op: 'eq', value: 0 },
            { field: 'viewed_category', category_id: espresso, within_days: 1 },
          ],
        },
      ],
    });
    expect(sorted(await members(segment.id))).toEqual(sorted([bob.id, carol.id]));
    const both = await createSegment({
      match: 'all',
      conditions: [
        { field: 'country', values: ['FR'] },
        { field: 'order_count', op: 'eq', value: 0 },
      ],
    });
    expect(await members(both.id)).toEqual([]);
  });

  it('caches membership and recomputes it on demand, or for one customer when stale', async () => {
    const segment = await createSegment(
      { match: 'all', conditions: [{ field: 'order_count', op: 'gte', value: 3 }] },
      { stale_after_minutes: 60 },
    );
    expect(await members(segment.id)).toEqual([]);
    await placedOrder(server, { channelId: shop.id, customerId: alice.id, products: [shirt] });
    // Fresh cache: still the old answer, for the list and for price selection.
    expect(await members(segment.id)).toEqual([]);
    expect(await getCustomerSegmentIds(server.db, alice.id)).not.toContain(segment.id);
    expect(await members(segment.id, true)).toEqual([alice.id]);
    expect(await getCustomerSegmentIds(server.db, alice.id)).toContain(segment.id);
    const read = (await server.admin('GET', `/admin/v1/segments/${segment.id}`)).json();
    expect(read.member_count).toBe(1);
    expect(read.computed_at).not.toBeNull();

    // New rules drop the cache; a stale segment is evaluated live for the one customer asked about.
    const patched = await server.admin(
      'PATCH',
      `/admin/v1/segments/${segment.id}`,
      { rules: { match: 'all', conditions: [{ field: 'country', values: ['FR'] }] } },
      { 'if-match': String(read.version) },
    );
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({
      computed_at: null,
      member_count: null,
      version: read.version + 1,
    });
    expect(await getCustomerSegmentIds(server.db, bob.id)).toContain(segment.id);
    expect(await getCustomerSegmentIds(server.db, alice.id)).not.toContain(segment.id);
  });

  it('pages the members with a cursor', async () => {
    const segment = await createSegment({
      match: 'all',
      conditions: [{ field: 'channel', values: [shop.id] }],
    });
    const first = (await server.admin('GET', `/admin/v1/segments/${segment.id}/customers?limit=2`)).json();
    expect(first.data).toHaveLength(2);
    expect(first.has_more).toBe(true);
    const second = (
      await server.admin(
        'GET',
        `/admin/v1/segments/${segment.id}/customers?limit=2&cursor=${first.next_cursor}`,
      )
    ).json();
    expect(second.has_more).toBe(false);
    expect(sorted([...first.data, ...second.data].map((c: { id: string }) => c.id))).toEqual(
      sorted([alice.id, bob.id, carol.id]),
    );
  });
});

describe('segment API validation', () => {
  it('refuses malformed or dangling rules precisely and creates nothing', async () => {
    const before = (await server.admin('GET', '/admin/v1/segments?limit=100')).json().data.length;
    const missing = await server.admin('POST', '/admin/v1/segments', {
      name: 'Bad',
      rules: { match: 'all', conditions: [{ field: 'lifetime_spend', op: 'gte', value: 10, values: ['x'] }] },
    });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors).toEqual([
      { field: '/body/rules/conditions/0/currency', message: 'is required for lifetime_spend' },
      { field: '/body/rules/conditions/0/values', message: 'does not apply to lifetime_spend' },
    ]);
    const dangling = await server.admin('POST', '/admin/v1/segments', {
      name: 'Dangling',
      rules: {
        match: 'all',
        conditions: [{ field: 'customer_group', values: ['cgrp_00000000000000000000000000'] }],
      },
    });
    expect(dangling.statusCode).toBe(422);
    expect(dangling.json().errors[0].message).toBe(
      'customer group cgrp_00000000000000000000000000 was not found',
    );
    const lowercase = await server.admin('POST', '/admin/v1/segments', {
      name: 'Lower',
      rules: { match: 'all', conditions: [{ field: 'country', values: ['gb'] }] },
    });
    expect(lowercase.json().errors).toEqual([
      {
        field: '/body/rules/conditions/0/values/0',
        message: 'must be an ISO 3166-1 alpha-2 code such as GB',
      },
    ]);
    const unknownField = await server.admin('POST', '/admin/v1/segments', {
      name: 'Unknown',
      rules: { match: 'all', conditions: [{ field: 'shoe_size', values: ['42'] }] },
    });
    expect(unknownField.statusCode).toBe(400);
    const extra = await server.admin('POST', '/admin/v1/segments', {
      name: 'Extra',
      rules: { match: 'all', conditions: [] },
      colour: 'red',
    });
    expect(extra.statusCode).toBe(400);
    expect((await server.admin('GET', '/admin/v1/segments?limit=100')).json().data.length).toBe(before);
    expect((await server.admin('GET', '/admin/v1/segments/seg_00000000000000000000000000')).statusCode).toBe(
      404,
    );
    expect(
      (await server.admin('GET', '/admin/v1/segments/seg_00000000000000000000000000/customers')).statusCode,
    ).toBe(404);
  });

  it('needs the customers scopes', async () => {
    const key = await server.admin('POST', '/admin/v1/keys', {
      kind: 'secret',
      name: 'reader',
      scopes: ['customers:read'],
    });
    const token = key.json().token;
    expect((await server.store(token, 'GET', '/admin/v1/segments')).statusCode).toBe(200);
    const denied = await server.store(token, 'POST', '/admin/v1/segments', {
      name: 'Nope',
      rules: { match: 'all', conditions: [{ field: 'country', values: ['GB'] }] },
    });
    expect(denied.statusCode).toBe(403);
  });
});

describe('segment prices', () => {
  it('applies a segment price to members in price selection and in recommendations', async () => {
    const segment = await createSegment({
      match: 'all',
      conditions: [{ field: 'customer_group', values: [vip] }],
    });
    const created = await server.admin('POST', '/admin/v1/products', {
      handle: unique('grinder'),
      title: 'Grinder',
      status: 'published',
      channel_ids: [shop.id],
      variants: [
        {
          sku: unique('GRIND').toUpperCase(),
          prices: [
            { currency: 'EUR', amount: 10000 },
            { currency: 'EUR', amount: 8000, segment_id: segment.id },
          ],
        },
      ],
    });
    expect(created.statusCode, created.body).toBe(201);
    const grinder = { productId: created.json().id, variantId: created.json().variants[0].id };
    const priceFor = async (customerId: string) =>
      (
        await getSellableVariants(server.db, {
          channelId: shop.id,
          currency: 'EUR',
          variantIds: [grinder.variantId],
          segmentIds: await getCustomerSegmentIds(server.db, customerId),
        })
      ).get(grinder.variantId)?.unitPrice;
    expect(await priceFor(alice.id)).toBe(8000);
    expect(await priceFor(bob.id)).toBe(10000);

    await placedOrder(server, { channelId: shop.id, products: [grinder] });
    const shown = async (headers: Record<string, string>) =>
      (
        await server.store(
          shop.key,
          'GET',
          '/store/v1/recommendations?intent=trending&limit=20',
          undefined,
          headers,
        )
      )
        .json()
        .data.find((item: { product_id: string }) => item.product_id === grinder.productId)?.price.amount;
    expect(await shown(session(alice.token))).toBe(8000);
    expect(await shown(session(bob.token))).toBe(10000);
    expect(await shown({ 'x-visitor-id': visitorId() })).toBe(10000);
  });
});
