import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TestServer } from '../../../test/harness.js';
import { createProduct } from '../cart/test-support.js';
import { recoverPaymentOperations } from '../orders/recovery.js';
import type { PaymentCall } from '../payments/provider.js';
import { getPaymentProvider } from '../payments/registry.js';
import type { TestPaymentProvider } from '../payments/test-provider.js';
import { checkout, eventTypesOf, newCart, pay, shirtShop } from './test-support.js';

let server: TestServer;
let shop: { id: string; key: string };
let shirt: string;
const provider = getPaymentProvider('test') as TestPaymentProvider;

beforeAll(async () => {
  ({ server, shop, shirt } = await shirtShop());
});
afterAll(() => server.close());
afterEach(() => vi.restoreAllMocks());

async function checkOut(key: string, variantId: string, token = 'tok_visa') {
  const cartId = await newCart(server, key, [{ variant_id: variantId, quantity: 2 }]);
  return { cartId, response: await checkout(server, key, cartId, pay(token)) };
}

const readOrder = async (key: string, id: string, token: string) => {
  const read = await server.store(key, 'GET', `/store/v1/orders/${id}`, undefined, {
    'x-order-token': token,
  });
  expect(read.statusCode, read.body).toBe(200);
  return read.json();
};

const adminOrder = async (id: string) => (await server.admin('GET', `/admin/v1/orders/${id}`)).json();
const captures = (paymentId: string) =>
  server.db
    .selectFrom('payment_operations')
    .selectAll()
    .where('payment_id', '=', paymentId)
    .where('kind', '=', 'capture')
    .execute();
const eventTypes = (resourceId: string) => eventTypesOf(server, resourceId);
const auditOf = async (orderId: string) =>
  (await adminOrder(orderId)).audit.map((entry: { action: string; actor: { kind: string } }) => [
    entry.action,
    entry.actor.kind,
  ]);

describe('the checkout response', () => {
  it('is the order exactly as a later read shows it: captured, refused, manual, awaiting and resumed', async () => {
    const paid = await checkOut(shop.key, shirt);
    const refused = await checkOut(shop.key, shirt, 'tok_fail_capture');
    const awaiting = await checkOut(shop.key, shirt, 'tok_3ds');
    const resumed = await checkout(server, shop.key, awaiting.cartId, pay('tok_3ds'));
    const manual = await server.newChannel();
    const [mug] = await createProduct(server, [manual.id], [{ price: 1000 }]);
    await server.admin('PUT', `/admin/v1/channels/${manual.id}/checkout-settings`, {
      capture_mode: 'manual',
    });
    const held = await checkOut(manual.key, mug as string);

    expect(paid.response.json().order).toMatchObject({ status: 'paid', payment: { status: 'captured' } });
    expect(refused.response.json().order).toMatchObject({
      status: 'authorised',
      payment: { status: 'authorised', last_error: expect.stringMatching(/refuses captures/) },
    });
    expect(awaiting.response.statusCode).toBe(202);
    expect(resumed.statusCode).toBe(202);
    expect(held.response.json().order).toMatchObject({
      status: 'authorised',
      payment: { status: 'authorised' },
    });

    const token = awaiting.response.json().order_token;
    for (const [key, { response }] of [
      [shop.key, paid],
      [shop.key, refused],
      [shop.key, awaiting],
      [manual.key, held],
    ] as const) {
      const { order, order_token } = response.json();
      expect(order).toEqual(await readOrder(key, order.id, order_token));
    }
    const order = resumed.json().order;
    expect(order).toEqual(await readOrder(shop.key, order.id, token));
  });
});

describe('automatic capture at checkout', () => {
  it('claims one operation, used as the provider’s idempotency key, and records it as an admin capture would', async () => {
    const { response } = await checkOut(shop.key, shirt);
    const { order } = response.json();
    const [operation] = await captures(order.payment.id);
    expect(operation).toMatchObject({ status: 'succeeded', succeeded: true, amount: 5000 });
    expect(operation?.context).toEqual({
      order_id: order.id,
      plan: { type: 'capture', amount: null },
      actor: { kind: 'system', id: null },
    });
    expect(
      provider
        .carriedOut(order.payment.provider_reference)
        .map((call) => [call.kind, call.idempotencyKey, call.amount]),
    ).toEqual([['capture', operation?.id, 5000]]);
    expect(await eventTypes(order.id)).toEqual(['order.placed', 'order.paid']);
    expect(await auditOf(order.id)).toEqual([
      ['checkout', 'guest'],
      ['authorise', 'guest'],
      ['capture', 'system'],
    ]);
    expect((await adminOrder(order.id)).audit[2]).toMatchObject({
      from_status: 'authorised',
      to_status: 'paid',
      data: { amount: null },
    });
  });

  it('leaves a capture whose outcome is unknown pending, and the sweep finishes it once', async () => {
    const original = provider.capture.bind(provider);
    vi.spyOn(provider, 'capture').mockImplementationOnce(async (call) => {
      await original(call);
      throw new Error('connection reset after the capture');
    });
    const { response } = await checkOut(shop.key, shirt);
    expect(response.statusCode, response.body).toBe(201);
    const { order, order_token } = response.json();
    expect(order).toMatchObject({
      status: 'authorised',
      payment: { status: 'authorised', last_error: expect.stringMatching(/did not answer the capture/) },
    });
    expect(order).toEqual(await readOrder(shop.key, order.id, order_token));
    expect(await auditOf(order.id)).toEqual([
      ['checkout', 'guest'],
      ['authorise', 'guest'],
      ['auto_capture_failed', 'system'],
    ]);
    const [pending] = await captures(order.payment.id);
    expect(pending).toMatchObject({ status: 'pending', amount: 5000 });
    // Young: it may still be running somewhere, so it holds the order.
    const admin = await server.admin('POST', `/admin/v1/orders/${order.id}/capture`, {});
    expect(admin.json().code).toBe('payment_operation_in_progress');

    await sql`UPDATE payment_operations SET attempted_at = now() - interval '10 minutes'
      WHERE id = ${pending?.id}`.execute(server.db);
    expect((await recoverPaymentOperations(server.db)).recovered).toContain(pending?.id);
    expect(await adminOrder(order.id)).toMatchObject({
      status: 'paid',
      captured_amount: 5000,
      payment: { status: 'captured', captured_amount: 5000, last_error: null },
    });
    expect(provider.carriedOut(order.payment.provider_reference).map((call) => call.idempotencyKey)).toEqual([
      pending?.id,
    ]);
    expect(await eventTypes(order.id)).toEqual(['order.placed', 'order.paid']);
  });

  it('settles once when the sweep took the operation over during the provider call', async () => {
    const original = provider.capture.bind(provider);
    let swept: string[] = [];
    vi.spyOn(provider, 'capture').mockImplementation(async (call: PaymentCall & { amount: number }) => {
      const result = await original(call);
      if (swept.length === 0) {
        swept = ['taking over'];
        // The checkout's call outlived the timeout: the sweep retries it and settles first.
        await sql`UPDATE payment_operations SET attempted_at = now() - interval '10 minutes'
          WHERE id = ${call.idempotencyKey}`.execute(server.db);
        swept = (await recoverPaymentOperations(server.db)).recovered;
      }
      return result;
    });
    const { response } = await checkOut(shop.key, shirt);
    expect(response.statusCode, response.body).toBe(201);
    const { order, order_token } = response.json();
    const [operation] = await captures(order.payment.id);
    expect(swept).toEqual([operation?.id]);
    expect(order).toMatchObject({ status: 'paid', payment: { status: 'captured', captured_amount: 5000 } });
    expect(order).toEqual(await readOrder(shop.key, order.id, order_token));
    expect(operation).toMatchObject({ status: 'succeeded' });
    expect(provider.carriedOut(order.payment.provider_reference)).toHaveLength(1);
    expect(await eventTypes(order.id)).toEqual(['order.placed', 'order.paid']);
    expect(await auditOf(order.id)).toEqual([
      ['checkout', 'guest'],
      ['authorise', 'guest'],
      ['capture', 'system'],
    ]);
  });
});
