import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { session, signedInCustomer } from '../cart/test-support.js';
import { placedOrder, type ShelfProduct, shelfProduct, visitorId } from './test-support.js';

let server: TestServer;
let shop: { id: string; key: string };
let mug: ShelfProduct;
let cup: ShelfProduct;
beforeAll(async () => {
  server = await startTestServer();
  shop = await server.newChannel();
  mug = await shelfProduct(server, [shop.id], { title: 'Mug' });
  cup = await shelfProduct(server, [shop.id], { title: 'Cup' });
});
afterAll(() => server.close());

const track = (body: unknown, headers: Record<string, string> = {}) =>
  server.store(shop.key, 'POST', '/store/v1/events', body, headers);

const storedFor = async (column: 'visitor_id' | 'customer_id', id: string) =>
  server.db.selectFrom('interactions').selectAll().where(column, '=', id).orderBy('id').execute();

async function consentingCustomer() {
  const customer = await signedInCustomer(server, shop.key);
  const patched = await server.store(
    shop.key,
    'PATCH',
    '/store/v1/customers/me',
    { consent_personalisation: true },
    session(customer.token),
  );
  expect(patched.statusCode, patched.body).toBe(200);
  return customer;
}

describe('POST /store/v1/events', () => {
  it('stores nothing without consent, visitor or customer', async () => {
    const visitor = visitorId();
    const anonymous = await track({
      visitor_id: visitor,
      events: [{ type: 'product_view', product_id: mug.productId }],
    });
    expect(anonymous.statusCode).toBe(202);
    expect(anonymous.json()).toEqual({ stored: 0, consent: false });
    expect(await storedFor('visitor_id', visitor)).toEqual([]);
    const visitors = await server.db
      .selectFrom('personalisation_visitors')
      .selectAll()
      .where('id', '=', visitor)
      .execute();
    expect(visitors).toEqual([]);

    const customer = await signedInCustomer(server, shop.key);
    const signedIn = await track(
      {
        events: [
          { type: 'search', query: 'mug' },
          { type: 'add_to_cart', product_id: cup.productId, quantity: 2 },
        ],
      },
      session(customer.token),
    );
    expect(signedIn.json()).toEqual({ stored: 0, consent: false });
    expect(await storedFor('customer_id', customer.id)).toEqual([]);
    // Not even the anonymous aggregates move without consent.
    const counts = await server.db
      .selectFrom('recs_item_counts')
      .selectAll()
      .where('product_id', '=', mug.productId)
      .execute();
    expect(counts).toEqual([]);
  });

  it('stores a consenting visitor’s batch, then keeps their consent for later batches', async () => {
    const visitor = visitorId();
    const first = await track({
      visitor_id: visitor,
      consent: true,
      events: [
        { type: 'product_view', product_id: mug.productId },
        { type: 'list_click', product_id: cup.productId, list: 'recommendations:related' },
      ],
    });
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual({ stored: 2, consent: true });
    const later = await track({
      visitor_id: visitor,
      events: [{ type: 'product_view', product_id: cup.productId }],
    });
    expect(later.json()).toEqual({ stored: 1, consent: true });
    const rows = await storedFor('visitor_id', visitor);
    expect(rows.map((row) => [row.kind, row.product_id, row.list])).toEqual([
      ['product_view', mug.productId, null],
      ['list_click', cup.productId, 'recommendations:related'],
      ['product_view', cup.productId, null],
    ]);
    // Viewing mug then cup on one day is one co-view basket.
    const [a, b] = [mug.productId, cup.productId].sort();
    const pair = await server.db
      .selectFrom('recs_pair_counts')
      .select('count')
      .where('signal', '=', 'view')
      .where('product_a', '=', a)
      .where('product_b', '=', b)
      .executeTakeFirst();
    expect(pair?.count).toBeGreaterThanOrEqual(1);

    const withdrawn = await track({
      visitor_id: visitor,
      consent: false,
      events: [{ type: 'search', query: 'x' }],
    });
    expect(withdrawn.json()).toEqual({ stored: 0, consent: false });
    expect(await storedFor('visitor_id', visitor)).toEqual([]);
  });

  it('refuses bad batches precisely and stores none of them', async () => {
    const visitor = visitorId();
    const unknown = await track({
      visitor_id: visitor,
      consent: true,
      events: [
        { type: 'product_view', product_id: mug.productId },
        { type: 'product_view', product_id: 'prod_00000000000000000000000000' },
        { type: 'search', product_id: mug.productId },
      ],
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors).toEqual([
      {
        field: '/body/events/1/product_id',
        message: 'prod_00000000000000000000000000 is not a known product',
      },
      { field: '/body/events/2/query', message: 'is required for a search' },
      { field: '/body/events/2/product_id', message: 'is not allowed for a search' },
    ]);
    expect(await storedFor('visitor_id', visitor)).toEqual([]);

    const tooMany = await track({
      visitor_id: visitor,
      events: Array.from({ length: 51 }, () => ({ type: 'search', query: 'x' })),
    });
    expect(tooMany.statusCode).toBe(400);
    const badVisitor = await track({ visitor_id: 'short', events: [{ type: 'search', query: 'x' }] });
    expect(badVisitor.statusCode).toBe(400);
    expect(badVisitor.json().errors[0].field).toBe('/body/visitor_id');
    const nobody = await track({ events: [{ type: 'search', query: 'x' }] });
    expect(nobody.statusCode).toBe(422);
    expect(nobody.json().errors).toEqual([
      { field: '/body/visitor_id', message: 'is required when no customer is signed in' },
    ]);
    const extra = await track({ visitor_id: visitor, events: [{ type: 'search', query: 'x', page: 2 }] });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().errors).toContainEqual({
      field: '/body/events/0/page',
      message: 'is not a known field',
    });
  });
});

describe('purchases, stitching, export and deletion', () => {
  it('records purchases only for consenting customers', async () => {
    const consenting = await consentingCustomer();
    const other = await signedInCustomer(server, shop.key);
    const mine = await placedOrder(server, {
      channelId: shop.id,
      customerId: consenting.id,
      products: [mug, cup],
    });
    await placedOrder(server, { channelId: shop.id, customerId: other.id, products: [mug] });
    const purchases = await storedFor('customer_id', consenting.id);
    expect(purchases.map((row) => [row.kind, row.order_id]).sort()).toEqual([
      ['purchase', mine],
      ['purchase', mine],
    ]);
    expect(await storedFor('customer_id', other.id)).toEqual([]);
  });

  it('stitches the anonymous history at login, exports it and deletes all of it', async () => {
    const visitor = visitorId();
    await track({
      visitor_id: visitor,
      consent: true,
      events: [{ type: 'product_view', product_id: mug.productId }],
    });
    const customer = await consentingCustomer();
    await track({ events: [{ type: 'search', query: 'cups' }] }, session(customer.token));

    const stitched = await server.store(
      shop.key,
      'POST',
      '/store/v1/customers/me/visitor',
      { visitor_id: visitor },
      session(customer.token),
    );
    expect(stitched.statusCode, stitched.body).toBe(200);
    expect(stitched.json()).toEqual({ visitor_id: visitor, stitched: true, moved: 1 });
    // Anonymous events sent later with the same visitor ID land in the customer's history too.
    await track({ visitor_id: visitor, events: [{ type: 'product_view', product_id: cup.productId }] });

    const exported = await server.store(
      shop.key,
      'GET',
      '/store/v1/customers/me/data',
      undefined,
      session(customer.token),
    );
    expect(exported.statusCode).toBe(200);
    const data = exported.json();
    expect(data.consent_personalisation).toBe(true);
    expect(data.visitors.map((v: { id: string }) => v.id)).toEqual([visitor]);
    expect(data.interactions.map((i: { type: string }) => i.type).sort()).toEqual([
      'product_view',
      'product_view',
      'search',
    ]);

    // Someone else signing in on the same device cannot take this history.
    const stranger = await consentingCustomer();
    const taken = await server.store(
      shop.key,
      'POST',
      '/store/v1/customers/me/visitor',
      { visitor_id: visitor },
      session(stranger.token),
    );
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('visitor_belongs_to_another_customer');

    const deleted = await server.store(
      shop.key,
      'DELETE',
      '/store/v1/customers/me/data',
      undefined,
      session(customer.token),
    );
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toEqual({ deleted: { interactions: 3, visitors: 1 } });
    expect(await storedFor('customer_id', customer.id)).toEqual([]);
    expect(await storedFor('visitor_id', visitor)).toEqual([]);
    expect(
      await server.db.selectFrom('personalisation_visitors').selectAll().where('id', '=', visitor).execute(),
    ).toEqual([]);
    // Without the visitor row the ID has no consent any more: new events are not stored.
    const after = await track({
      visitor_id: visitor,
      events: [{ type: 'product_view', product_id: mug.productId }],
    });
    expect(after.json()).toEqual({ stored: 0, consent: false });
  });

  it('stops recording a stitched visitor ID once its customer withdraws consent', async () => {
    const visitor = visitorId();
    await track({
      visitor_id: visitor,
      consent: true,
      events: [{ type: 'product_view', product_id: mug.productId }],
    });
    const customer = await consentingCustomer();
    await server.store(
      shop.key,
      'POST',
      '/store/v1/customers/me/visitor',
      { visitor_id: visitor },
      session(customer.token),
    );
    const withdrawn = await server.store(
      shop.key,
      'PATCH',
      '/store/v1/customers/me',
      { consent_personalisation: false },
      session(customer.token),
    );
    expect(withdrawn.statusCode).toBe(200);
    const later = await track({
      visitor_id: visitor,
      events: [{ type: 'product_view', product_id: cup.productId }],
    });
    expect(later.json()).toEqual({ stored: 0, consent: false });
    expect((await storedFor('visitor_id', visitor)).map((row) => row.product_id)).toEqual([mug.productId]);
    // Nor is the kept history used for recommendations.
    const recent = await server.store(
      shop.key,
      'GET',
      '/store/v1/recommendations?intent=recently_viewed',
      undefined,
      session(customer.token),
    );
    expect(recent.json().data).toEqual([]);
  });

  it('leaves the history anonymous when the customer has not consented', async () => {
    const visitor = visitorId();
    await track({
      visitor_id: visitor,
      consent: true,
      events: [{ type: 'product_view', product_id: mug.productId }],
    });
    const customer = await signedInCustomer(server, shop.key);
    const stitched = await server.store(
      shop.key,
      'POST',
      '/store/v1/customers/me/visitor',
      { visitor_id: visitor },
      session(customer.token),
    );
    expect(stitched.json()).toEqual({ visitor_id: visitor, stitched: false, moved: 0 });
    expect((await storedFor('visitor_id', visitor)).map((row) => row.customer_id)).toEqual([null]);
  });

  it('needs a signed-in customer for the data routes', async () => {
    expect((await server.store(shop.key, 'GET', '/store/v1/customers/me/data')).statusCode).toBe(401);
    expect((await server.store(shop.key, 'DELETE', '/store/v1/customers/me/data')).statusCode).toBe(401);
    const noSession = await server.store(shop.key, 'POST', '/store/v1/customers/me/visitor', {
      visitor_id: visitorId(),
    });
    expect(noSession.statusCode).toBe(401);
  });
});
