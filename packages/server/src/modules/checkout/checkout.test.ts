import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../../test/harness.js';
import { createProduct, reserveAtAddToCart, session, signedInCustomer, stock } from '../cart/test-support.js';
import { checkout, eventTypesOf, newCart, pay, sendWebhook, shirtShop, stockOf } from './test-support.js';

let server: TestServer;
let shop: { id: string; key: string };
let shirt: string;
beforeAll(async () => {
  ({ server, shop, shirt } = await shirtShop());
});
afterAll(() => server.close());

const eventTypes = (resourceId: string) => eventTypesOf(server, resourceId);

describe('checkout with the test provider', () => {
  it('places and captures an order, takes the stock and completes the cart', async () => {
    const before = await stockOf(server, shirt);
    const cartId = await newCart(server, shop.key, [{ variant_id: shirt, quantity: 2 }]);
    const response = await checkout(server, shop.key, cartId);
    expect(response.statusCode, response.body).toBe(201);
    const { order, order_token } = response.json();
    expect(order).toMatchObject({
      status: 'paid',
      total: 5000,
      captured_amount: 5000,
      email: 'shopper@example.com',
      lines: [{ variant_id: shirt, quantity: 2, unit_price: 2500, total: 5000 }],
      payment: { provider: 'test', status: 'captured', amount: 5000, captured_amount: 5000 },
    });
    expect(order.id).toMatch(/^ord_/);
    expect(order.number).toBeGreaterThan(1000);
    expect(order_token).toMatch(/^ordtok_/);
    expect(await stockOf(server, shirt)).toMatchObject({
      onHand: before.onHand - 2,
      reserved: before.reserved,
    });
    expect(await eventTypes(order.id)).toEqual(['order.placed', 'order.paid']);
    expect(await eventTypes(cartId)).toContain('cart.completed');
    expect((await server.store(shop.key, 'GET', `/store/v1/carts/${cartId}`)).json().status).toBe(
      'completed',
    );

    const read = await server.store(shop.key, 'GET', `/store/v1/orders/${order.id}`, undefined, {
      'x-order-token': order_token,
    });
    expect(read.statusCode).toBe(200);
    expect(read.json().id).toBe(order.id);
    const noToken = await server.store(shop.key, 'GET', `/store/v1/orders/${order.id}`);
    expect(noToken.statusCode).toBe(404);
    const wrongToken = await server.store(shop.key, 'GET', `/store/v1/orders/${order.id}`, undefined, {
      'x-order-token': 'ordtok_nope',
    });
    expect(wrongToken.statusCode).toBe(404);

    const again = await checkout(server, shop.key, cartId);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'cart_already_checked_out', order_id: order.id });
  });

  it('keeps nothing when the card is declined', async () => {
    const before = await stockOf(server, shirt);
    const cartId = await newCart(server, shop.key, [{ variant_id: shirt, quantity: 1 }]);
    const response = await checkout(server, shop.key, cartId, pay('tok_declined'));
    expect(response.statusCode).toBe(402);
    expect(response.json()).toMatchObject({ code: 'payment_declined', decline_code: 'card_declined' });
    expect(await stockOf(server, shirt)).toEqual(before);
    const orders = await server.db.selectFrom('orders').select('id').where('cart_id', '=', cartId).execute();
    expect(orders).toEqual([]);
    const cart = (await server.store(shop.key, 'GET', `/store/v1/carts/${cartId}`)).json();
    expect(cart.status).toBe('active');
    // The shopper can try another card on the same cart.
    expect((await checkout(server, shop.key, cartId)).statusCode).toBe(201);
  });

  it('keeps add-to-cart holds after a decline on channels that reserve early', async () => {
    const early = await server.newChannel();
    const [lamp] = await createProduct(server, [early.id], [{ price: 3000 }]);
    await stock(server, [early.id], { [lamp]: 5 });
    await reserveAtAddToCart(server, early.id);
    const cartId = await newCart(server, early.key, [{ variant_id: lamp, quantity: 2 }]);
    expect(await stockOf(server, lamp)).toMatchObject({ onHand: 5, reserved: 2 });
    expect((await checkout(server, early.key, cartId, pay('tok_declined'))).statusCode).toBe(402);
    expect(await stockOf(server, lamp)).toMatchObject({ onHand: 5, reserved: 2 });
    const expiry = await server.db
      .selectFrom('inventory_reservations')
      .select('expires_at')
      .where('cart_id', '=', cartId)
      .where('status', '=', 'active')
      .execute();
    expect(expiry.every((row) => row.expires_at !== null)).toBe(true);
  });

  it('leaves the order authorised when capture fails, and manual capture mode waits for an admin', async () => {
    const cartId = await newCart(server, shop.key, [{ variant_id: shirt, quantity: 1 }]);
    const failing = await checkout(server, shop.key, cartId, pay('tok_fail_capture'));
    expect(failing.statusCode).toBe(201);
    expect(failing.json().order).toMatchObject({ status: 'authorised', payment: { status: 'authorised' } });
    const detail = (await server.admin('GET', `/admin/v1/orders/${failing.json().order.id}`)).json();
    expect(detail.audit.map((entry: { action: string }) => entry.action)).toEqual([
      'checkout',
      'authorise',
      'auto_capture_failed',
    ]);
    expect(detail.payment.last_error).toMatch(/refuses captures/);

    const manual = await server.newChannel();
    const [mug] = await createProduct(server, [manual.id], [{ price: 1000 }]);
    expect(
      (
        await server.admin('PUT', `/admin/v1/channels/${manual.id}/checkout-settings`, {
          capture_mode: 'manual',
        })
      ).json(),
    ).toMatchObject({ capture_mode: 'manual', version: 1 });
    const manualCart = await newCart(server, manual.key, [{ variant_id: mug, quantity: 3 }]);
    const placed = await checkout(server, manual.key, manualCart);
    expect(placed.json().order).toMatchObject({ status: 'authorised', total: 3000 });
    const captured = await server.admin('POST', `/admin/v1/orders/${placed.json().order.id}/capture`, {
      amount: 2000,
    });
    expect(captured.statusCode, captured.body).toBe(200);
    expect(captured.json()).toMatchObject({
      status: 'paid',
      captured_amount: 2000,
      payment: { status: 'captured' },
    });
  });

  it('waits for a signed webhook when the card needs confirmation', async () => {
    const before = await stockOf(server, shirt);
    const cartId = await newCart(server, shop.key, [{ variant_id: shirt, quantity: 1 }]);
    const pending = await checkout(server, shop.key, cartId, pay('tok_3ds'));
    expect(pending.statusCode, pending.body).toBe(202);
    const { order, next_action } = pending.json();
    expect(order).toMatchObject({ status: 'pending', payment: { status: 'requires_action' } });
    expect(next_action.type).toBe('await_webhook');
    expect(await stockOf(server, shirt)).toMatchObject({ reserved: before.reserved + 1 });
    const reference = order.payment.provider_reference;

    const forged = await sendWebhook(
      server,
      { type: 'payment.authorised', reference },
      new Date(),
      'not-the-secret',
    );
    expect(forged.statusCode).toBe(400);
    expect(forged.json().code).toBe('invalid_webhook');
    const stale = await sendWebhook(
      server,
      { type: 'payment.authorised', reference },
      new Date(Date.now() - 6 * 60_000),
    );
    expect(stale.statusCode).toBe(400);
    expect((await server.admin('GET', `/admin/v1/orders/${order.id}`)).json().status).toBe('pending');

    const resumed = await checkout(server, shop.key, cartId, pay('tok_3ds'));
    expect(resumed.statusCode).toBe(202);
    expect(resumed.json().order.id).toBe(order.id);

    const confirmed = await sendWebhook(server, { type: 'payment.authorised', reference });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toEqual({ received: true, result: 'order_placed', order_id: order.id });
    const repeat = await sendWebhook(server, { type: 'payment.authorised', reference });
    expect(repeat.json().result).toBe('already_processed');
    expect((await server.admin('GET', `/admin/v1/orders/${order.id}`)).json()).toMatchObject({
      status: 'paid',
    });
    expect(await stockOf(server, shirt)).toMatchObject({
      onHand: before.onHand - 1,
      reserved: before.reserved,
    });
  });

  it('cancels the pending order and frees the cart when confirmation fails', async () => {
    const before = await stockOf(server, shirt);
    const cartId = await newCart(server, shop.key, [{ variant_id: shirt, quantity: 2 }]);
    const pending = (await checkout(server, shop.key, cartId, pay('tok_3ds'))).json();
    const failed = await sendWebhook(server, {
      type: 'payment.failed',
      reference: pending.order.payment.provider_reference,
    });
    expect(failed.json().result).toBe('order_cancelled');
    expect((await server.admin('GET', `/admin/v1/orders/${pending.order.id}`)).json()).toMatchObject({
      status: 'cancelled',
      cancel_reason: 'payment_failed',
    });
    expect(await stockOf(server, shirt)).toEqual(before);
    expect((await checkout(server, shop.key, cartId)).statusCode).toBe(201);
  });

  it('lets a signed-in customer list and read their orders, and nobody else', async () => {
    const alice = await signedInCustomer(server, shop.key);
    const bob = await signedInCustomer(server, shop.key);
    const cartId = await newCart(
      server,
      shop.key,
      [{ variant_id: shirt, quantity: 1 }],
      {},
      session(alice.token),
    );
    const placed = await checkout(server, shop.key, cartId, pay(), session(alice.token));
    expect(placed.statusCode, placed.body).toBe(201);
    const order = placed.json().order;
    expect(order).toMatchObject({ customer_id: alice.id, email: alice.email });

    const mine = await server.store(
      shop.key,
      'GET',
      '/store/v1/customers/me/orders',
      undefined,
      session(alice.token),
    );
    expect(mine.json().data.map((o: { id: string }) => o.id)).toEqual([order.id]);
    expect(
      (await server.store(shop.key, 'GET', `/store/v1/orders/${order.id}`, undefined, session(alice.token)))
        .statusCode,
    ).toBe(200);
    const theirs = await server.store(
      shop.key,
      'GET',
      `/store/v1/orders/${order.id}`,
      undefined,
      session(bob.token),
    );
    expect(theirs.statusCode).toBe(404);
    expect(
      (
        await server.store(shop.key, 'GET', '/store/v1/customers/me/orders', undefined, session(bob.token))
      ).json().data,
    ).toEqual([]);
    expect((await server.store(shop.key, 'GET', `/store/v1/orders/${order.id}`)).statusCode).toBe(404);
    expect((await server.store(shop.key, 'GET', '/store/v1/customers/me/orders')).statusCode).toBe(401);
  });
});

describe('checkout refusals and edge cases', () => {
  it('refuses an empty cart, a cart without e-mail and an unsellable line, changing nothing', async () => {
    const empty = await newCart(server, shop.key, []);
    const emptyResponse = await checkout(server, shop.key, empty);
    expect(emptyResponse.statusCode).toBe(422);
    expect(emptyResponse.json().code).toBe('cart_empty');

    const anonymous = await newCart(server, shop.key, [{ variant_id: shirt, quantity: 1 }], {});
    const noEmail = await checkout(server, shop.key, anonymous);
    expect(noEmail.statusCode).toBe(422);
    expect(noEmail.json()).toMatchObject({ code: 'email_required', errors: [{ field: '/body/email' }] });
    const withEmail = await checkout(server, shop.key, anonymous, { ...pay(), email: 'late@example.com' });
    expect(withEmail.statusCode).toBe(201);
    expect(withEmail.json().order.email).toBe('late@example.com');

    const [retired] = await createProduct(server, [shop.id], [{ price: 700 }]);
    const cartId = await newCart(server, shop.key, [{ variant_id: retired, quantity: 1 }]);
    const product = await server.db
      .selectFrom('variants')
      .select('product_id')
      .where('id', '=', retired)
      .executeTakeFirstOrThrow();
    expect(
      (await server.admin('PATCH', `/admin/v1/products/${product.product_id}`, { status: 'draft' }))
        .statusCode,
    ).toBe(200);
    const unsellable = await checkout(server, shop.key, cartId);
    expect(unsellable.statusCode).toBe(409);
    expect(unsellable.json().code).toBe('cart_has_unavailable_lines');
    expect(
      await server.db.selectFrom('orders').select('id').where('cart_id', 'in', [empty, cartId]).execute(),
    ).toEqual([]);
  });

  it('refuses with total_changed when the price moved after the shopper saw the total, charging nothing', async () => {
    const [lamp] = await createProduct(server, [shop.id], [{ price: 1200 }]);
    const cartId = await newCart(server, shop.key, [{ variant_id: lamp, quantity: 2 }]);
    const shown = (await server.store(shop.key, 'GET', `/store/v1/carts/${cartId}`)).json().totals.total;
    expect(shown).toBe(2400);
    const price = await server.db
      .selectFrom('prices')
      .select('id')
      .where('variant_id', '=', lamp)
      .executeTakeFirstOrThrow();
    await server.db.updateTable('prices').set({ amount: 1500 }).where('id', '=', price.id).execute();

    const refused = await checkout(server, shop.key, cartId, { ...pay(), expected_total: shown });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'total_changed', expected_total: 2400, total: 3000 });
    expect(await server.db.selectFrom('orders').select('id').where('cart_id', '=', cartId).execute()).toEqual(
      [],
    );
    expect(
      await server.db.selectFrom('payments').select('id').where('cart_id', '=', cartId).execute(),
    ).toEqual([]);

    const confirmed = await checkout(server, shop.key, cartId, { ...pay(), expected_total: 3000 });
    expect(confirmed.statusCode, confirmed.body).toBe(201);
    expect(confirmed.json().order.total).toBe(3000);
  });

  it('places a free order (100 % promotion) as paid without charging', async () => {
    const code = `FREE${Date.now()}`;
    await server.admin('POST', '/admin/v1/promotions', {
      name: 'gift',
      code,
      kind: 'percentage',
      value: 10_000,
    });
    const cartId = await newCart(server, shop.key, [{ variant_id: shirt, quantity: 1 }]);
    await server.store(shop.key, 'PATCH', `/store/v1/carts/${cartId}`, { promotion_codes: [code] });
    const response = await checkout(server, shop.key, cartId);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().order).toMatchObject({
      status: 'paid',
      total: 0,
      discount_total: 2500,
      payment: { status: 'captured', amount: 0 },
    });
    expect(response.json().order.paid_at).not.toBeNull();
  });

  it('holds the per-customer promotion limit across checkouts', async () => {
    const customer = await signedInCustomer(server, shop.key);
    const code = `ONCE${Date.now()}`;
    await server.admin('POST', '/admin/v1/promotions', {
      name: 'once',
      code,
      kind: 'percentage',
      value: 1000,
      usage_limit_per_customer: 1,
    });
    const buy = async () => {
      const cartId = await newCart(
        server,
        shop.key,
        [{ variant_id: shirt, quantity: 1 }],
        {},
        session(customer.token),
      );
      await server.store(
        shop.key,
        'PATCH',
        `/store/v1/carts/${cartId}`,
        { promotion_codes: [code] },
        session(customer.token),
      );
      return checkout(server, shop.key, cartId, pay(), session(customer.token));
    };
    const first = await buy();
    expect(first.json().order.discount_total).toBe(250);
    const second = await buy();
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ code: 'promotion_limit_reached', per_customer: true });
  });
});

describe('automatic promotions with a usage limit', () => {
  it('stop applying when spent instead of failing checkouts', async () => {
    const promoShop = await server.newChannel();
    const [book] = await createProduct(server, [promoShop.id], [{ price: 2000 }]);
    const created = await server.admin('POST', '/admin/v1/promotions', {
      name: 'first buyer',
      kind: 'fixed',
      value: 500,
      usage_limit: 1,
      conditions: { currency: 'EUR', channel_ids: [promoShop.id] },
    });
    expect(created.statusCode).toBe(201);
    const carts = await Promise.all(
      Array.from({ length: 8 }, () => newCart(server, promoShop.key, [{ variant_id: book, quantity: 1 }])),
    );
    const responses = await Promise.all(carts.map((cartId) => checkout(server, promoShop.key, cartId)));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(8).fill(201));
    const totals = responses.map((r) => r.json().order.total).sort();
    expect(totals).toEqual([1500, ...Array(7).fill(2000)]);
  });
});
