import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { createProduct, stock } from '../cart/test-support.js';
import { recoverStalledCheckouts } from './recovery.js';
import { checkout, newCart, pay, stockOf } from './test-support.js';

let server: TestServer;
let shop: { id: string; key: string };
let variant: string;
beforeAll(async () => {
  server = await startTestServer();
  shop = await server.newChannel();
  [variant] = await createProduct(server, [shop.id], [{ price: 900 }]);
  await stock(server, [shop.id], { [variant]: 10 });
});
afterAll(() => server.close());

const now = { stalledAfterSeconds: 0, confirmationWindowSeconds: 0 };

/** A checkout left pending, with its payment in the state the process died in. */
async function stalledCheckout(paymentStatus: 'pending' | 'authorised' | 'requires_action') {
  const cartId = await newCart(server, shop.key, [{ variant_id: variant, quantity: 2 }]);
  const order = (await checkout(server, shop.key, cartId, pay('tok_3ds'))).json().order;
  await server.db
    .updateTable('payments')
    .set({ status: paymentStatus })
    .where('order_id', '=', order.id)
    .execute();
  return { cartId, orderId: order.id as string };
}

describe('recoverStalledCheckouts', () => {
  it('leaves young checkouts and open confirmations alone', async () => {
    const { orderId } = await stalledCheckout('requires_action');
    const result = await recoverStalledCheckouts(server.db, {
      stalledAfterSeconds: 600,
      confirmationWindowSeconds: 3600,
    });
    expect(result.cancelled).not.toContain(orderId);
    const waiting = await recoverStalledCheckouts(server.db, {
      stalledAfterSeconds: 0,
      confirmationWindowSeconds: 3600,
    });
    expect(waiting.cancelled).not.toContain(orderId);
    expect((await server.admin('GET', `/admin/v1/orders/${orderId}`)).json().status).toBe('pending');
    await recoverStalledCheckouts(server.db, now);
  });

  it('places an order whose authorisation was recorded before the process died', async () => {
    const before = await stockOf(server, variant);
    const { orderId, cartId } = await stalledCheckout('authorised');
    const result = await recoverStalledCheckouts(server.db, now);
    expect(result.placed).toEqual([orderId]);
    expect((await server.admin('GET', `/admin/v1/orders/${orderId}`)).json()).toMatchObject({
      status: 'paid',
      payment: { status: 'captured' },
    });
    expect((await server.store(shop.key, 'GET', `/store/v1/carts/${cartId}`)).json().status).toBe(
      'completed',
    );
    expect(await stockOf(server, variant)).toMatchObject({
      onHand: before.onHand - 2,
      reserved: before.reserved,
    });
  });

  it('discards an order whose payment outcome is unknown, and cancels an unconfirmed one', async () => {
    const before = await stockOf(server, variant);
    const unknown = await stalledCheckout('pending');
    const unconfirmed = await stalledCheckout('requires_action');
    expect((await stockOf(server, variant)).reserved).toBe(before.reserved + 4);
    const result = await recoverStalledCheckouts(server.db, now);
    expect(result).toEqual({ placed: [], discarded: [unknown.orderId], cancelled: [unconfirmed.orderId] });
    expect((await server.admin('GET', `/admin/v1/orders/${unknown.orderId}`)).statusCode).toBe(404);
    expect((await server.admin('GET', `/admin/v1/orders/${unconfirmed.orderId}`)).json()).toMatchObject({
      status: 'cancelled',
      payment: { status: 'voided' },
    });
    expect(await stockOf(server, variant)).toEqual(before);
    // Both carts can be checked out again.
    expect((await checkout(server, shop.key, unknown.cartId)).statusCode).toBe(201);
    expect((await checkout(server, shop.key, unconfirmed.cartId)).statusCode).toBe(201);
  });
});
