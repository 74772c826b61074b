import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { createProduct, stock } from '../cart/test-support.js';
import { checkout, eventTypesOf, newCart, pay, stockOf } from '../checkout/test-support.js';

let server: TestServer;
let shop: { id: string; key: string };
let shirt: string;
let mug: string;
let untracked: string;
beforeAll(async () => {
  server = await startTestServer();
  shop = await server.newChannel();
  [shirt, mug, untracked] = await createProduct(
    server,
    [shop.id],
    [{ price: 2000 }, { price: 1000 }, { price: 500 }],
  );
  await stock(server, [shop.id], { [shirt]: 20, [mug]: 20 });
});
afterAll(() => server.close());

async function placeOrder(token = 'tok_visa', email = 'buyer@example.com') {
  const cartId = await newCart(
    server,
    shop.key,
    [
      { variant_id: shirt, quantity: 2 },
      { variant_id: mug, quantity: 1 },
    ],
    { email },
  );
  const response = await checkout(server, shop.key, cartId, pay(token));
  expect(response.statusCode, response.body).toBe(201);
  return response.json().order;
}

const post = (path: string, body?: unknown) => server.admin('POST', `/admin/v1/orders/${path}`, body);
const eventTypes = (resourceId: string) => eventTypesOf(server, resourceId);

describe('fulfilment and delivery', () => {
  it('ships partially with tracking, then fully, then delivers, with an audit trail', async () => {
    const order = await placeOrder();
    const [shirtLine, mugLine] = order.lines;
    const first = await post(`${order.id}/fulfilments`, {
      lines: [{ line_id: shirtLine.id, quantity: 1 }],
      carrier: 'DHL',
      tracking_number: 'JD014600003828',
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      status: 'partially_fulfilled',
      fulfilments: [
        {
          carrier: 'DHL',
          tracking_number: 'JD014600003828',
          lines: [{ line_id: shirtLine.id, quantity: 1 }],
        },
      ],
    });
    const tooMany = await post(`${order.id}/fulfilments`, {
      lines: [{ line_id: shirtLine.id, quantity: 2 }],
    });
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json().errors[0].field).toBe('/body/lines/0/quantity');
    expect((await post(`${order.id}/deliver`)).statusCode).toBe(409);

    const rest = await post(`${order.id}/fulfilments`, {
      lines: [
        { line_id: shirtLine.id, quantity: 1 },
        { line_id: mugLine.id, quantity: 1 },
      ],
      tracking_number: 'JD2',
    });
    expect(rest.json().status).toBe('fulfilled');
    const delivered = await post(`${order.id}/deliver`);
    expect(delivered.json().status).toBe('delivered');
    expect(
      delivered
        .json()
        .audit.map((entry: { action: string; from_status: string; to_status: string }) => [
          entry.action,
          entry.from_status,
          entry.to_status,
        ]),
    ).toEqual([
      ['checkout', null, 'pending'],
      ['authorise', 'pending', 'authorised'],
      ['capture', 'authorised', 'paid'],
      ['fulfil', 'paid', 'partially_fulfilled'],
      ['fulfil', 'partially_fulfilled', 'fulfilled'],
      ['deliver', 'fulfilled', 'delivered'],
    ]);
    expect(delivered.json().audit.at(-1).actor).toEqual({
      kind: 'secret_key',
      id: expect.stringMatching(/^key_/),
    });
    expect(await eventTypes(order.id)).toEqual([
      'order.placed',
      'order.paid',
      'order.fulfilled',
      'order.fulfilled',
    ]);
  });
});

describe('refunds', () => {
  it('refunds in parts and never more than was captured, even concurrently', async () => {
    const order = await placeOrder();
    expect(order.captured_amount).toBe(5000);
    const part = await post(`${order.id}/refund`, { amount: 1500, reason: 'scratched' });
    expect(part.json()).toMatchObject({ status: 'partially_refunded', refunded_amount: 1500 });
    const over = await post(`${order.id}/refund`, { amount: 3501 });
    expect(over.statusCode).toBe(422);
    expect(over.json().code).toBe('invalid_amount');
    const racing = await Promise.all([1, 2, 3].map(() => post(`${order.id}/refund`, { amount: 2000 })));
    // A loser is refused either while the winner waits for the provider (409) or after (422).
    const codes = racing.map((r) => r.statusCode);
    expect(codes.filter((code) => code === 200)).toHaveLength(1);
    expect(codes.filter((code) => code !== 200).every((code) => code === 409 || code === 422)).toBe(true);
    const after = (await server.admin('GET', `/admin/v1/orders/${order.id}`)).json();
    expect(after).toMatchObject({
      refunded_amount: 3500,
      payment: { refunded_amount: 3500, status: 'partially_refunded' },
    });
    const rest = await post(`${order.id}/refund`, { amount: 1500 });
    expect(rest.json()).toMatchObject({ status: 'refunded', payment: { status: 'refunded' } });
    expect((await eventTypes(order.id)).filter((type) => type === 'order.refunded')).toHaveLength(3);
  });

  it('changes nothing when the provider refuses the refund', async () => {
    const order = await placeOrder('tok_fail_refund');
    const refused = await post(`${order.id}/refund`, { amount: 100 });
    expect(refused.statusCode).toBe(502);
    expect(refused.json().code).toBe('payment_provider_error');
    expect((await server.admin('GET', `/admin/v1/orders/${order.id}`)).json()).toMatchObject({
      status: 'paid',
      refunded_amount: 0,
    });
  });
});

describe('cancellation and returns', () => {
  it('cancels a paid order: refunds it and puts the stock back', async () => {
    const before = await stockOf(server, shirt);
    const order = await placeOrder();
    expect((await stockOf(server, shirt)).onHand).toBe(before.onHand - 2);
    const cancelled = await post(`${order.id}/cancel`, { reason: 'customer asked' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({
      status: 'cancelled',
      cancel_reason: 'customer asked',
      refunded_amount: 5000,
      payment: { status: 'refunded' },
    });
    expect(await stockOf(server, shirt)).toEqual(before);
    expect((await post(`${order.id}/cancel`)).statusCode).toBe(409);
    expect(await eventTypes(order.id)).toContain('order.cancelled');
  });

  it('cancels an uncaptured order by voiding the payment', async () => {
    const order = await placeOrder('tok_fail_capture');
    const cancelled = await post(`${order.id}/cancel`, {});
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', payment: { status: 'voided' } });
  });

  it('refuses to cancel once something shipped, and restocks returns', async () => {
    const before = await stockOf(server, mug);
    const order = await placeOrder();
    const mugLine = order.lines[1];
    await post(`${order.id}/fulfilments`, { lines: [{ line_id: mugLine.id, quantity: 1 }] });
    expect((await post(`${order.id}/cancel`)).json().code).toBe('illegal_transition');
    const tooMany = await post(`${order.id}/returns`, {
      lines: [{ line_id: order.lines[0].id, quantity: 1 }],
    });
    expect(tooMany.statusCode).toBe(422);
    const returned = await post(`${order.id}/returns`, {
      lines: [{ line_id: mugLine.id, quantity: 1 }],
      refund_amount: 1000,
      reason: 'broken',
    });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json()).toMatchObject({
      status: 'partially_refunded',
      refunded_amount: 1000,
      returns: [{ restocked: true, refund_amount: 1000, lines: [{ line_id: mugLine.id, quantity: 1 }] }],
    });
    expect(await stockOf(server, mug)).toEqual(before);
  });

  it('does not invent stock for untracked variants or damaged returns', async () => {
    const cartId = await newCart(server, shop.key, [{ variant_id: untracked, quantity: 2 }]);
    const order = (await checkout(server, shop.key, cartId)).json().order;
    await post(`${order.id}/fulfilments`, { lines: [{ line_id: order.lines[0].id, quantity: 2 }] });
    const returned = await post(`${order.id}/returns`, {
      lines: [{ line_id: order.lines[0].id, quantity: 1 }],
    });
    expect(returned.statusCode).toBe(200);
    const levels = await server.db
      .selectFrom('inventory_levels')
      .select('variant_id')
      .where('variant_id', '=', untracked)
      .execute();
    expect(levels).toEqual([]);

    const before = await stockOf(server, shirt);
    const damaged = await placeOrder();
    await post(`${damaged.id}/fulfilments`, { lines: [{ line_id: damaged.lines[0].id, quantity: 2 }] });
    await post(`${damaged.id}/returns`, {
      lines: [{ line_id: damaged.lines[0].id, quantity: 2 }],
      restock: false,
    });
    expect((await stockOf(server, shirt)).onHand).toBe(before.onHand - 2);
  });
});

describe('admin list and filters', () => {
  it('finds orders by number, e-mail, status and channel, newest first, with cursors', async () => {
    const email = `finder-${Date.now()}@example.com`;
    const a = await placeOrder('tok_visa', email);
    const b = await placeOrder('tok_fail_capture', email);
    const byEmail = (
      await server.admin('GET', `/admin/v1/orders?q=${encodeURIComponent(email.slice(0, 12))}`)
    ).json();
    expect(byEmail.data.map((o: { id: string }) => o.id)).toEqual([b.id, a.id]);
    const byNumber = (await server.admin('GET', `/admin/v1/orders?q=%23${a.number}`)).json();
    expect(byNumber.data.map((o: { id: string }) => o.id)).toEqual([a.id]);
    const authorised = (
      await server.admin('GET', `/admin/v1/orders?status=authorised&channel_id=${shop.id}`)
    ).json();
    expect(authorised.data.map((o: { id: string }) => o.id)).toContain(b.id);
    expect(authorised.data.every((o: { status: string }) => o.status === 'authorised')).toBe(true);
    const page1 = (await server.admin('GET', `/admin/v1/orders?limit=1&channel_id=${shop.id}`)).json();
    const page2 = (
      await server.admin('GET', `/admin/v1/orders?limit=1&channel_id=${shop.id}&cursor=${page1.next_cursor}`)
    ).json();
    expect(page1.has_more).toBe(true);
    expect(page2.data[0].id < page1.data[0].id).toBe(true);
    const future = (await server.admin('GET', '/admin/v1/orders?created_after=2999-01-01T00:00:00Z')).json();
    expect(future.data).toEqual([]);
    expect((await server.admin('GET', '/admin/v1/orders?status=lost')).statusCode).toBe(400);
    expect((await server.admin('GET', '/admin/v1/orders/ord_00000000000000000000000000')).statusCode).toBe(
      404,
    );
  });

  it('needs the orders scopes', async () => {
    const reader = (
      await server.admin('POST', '/admin/v1/keys', { kind: 'secret', name: 'r', scopes: ['orders:read'] })
    ).json();
    const order = await placeOrder();
    expect((await server.store(reader.token, 'GET', `/admin/v1/orders/${order.id}`)).statusCode).toBe(200);
    const denied = await server.store(reader.token, 'POST', `/admin/v1/orders/${order.id}/refund`, {
      amount: 1,
    });
    expect(denied.statusCode).toBe(403);
  });
});
