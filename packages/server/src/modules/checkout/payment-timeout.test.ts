import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { createProduct, stock } from '../cart/test-support.js';
import { recoverPaymentOperations } from '../orders/recovery.js';
import { PaymentProviderTimeout } from '../payments/deadline.js';
import { getPaymentProvider } from '../payments/registry.js';
import type { TestPaymentProvider } from '../payments/test-provider.js';
import { checkout, newCart, pay, stockOf } from './test-support.js';

// Short enough for a quick test, long enough that nothing but the hanging tokens reaches it.
const TIMEOUT_MS = 200;
// A PGlite write after the deadline can take a while on a busy machine; this still tells
// "gave up at the deadline" from "waited for ever".
const SLACK_MS = 3000;

let server: TestServer;
let shop: { id: string; key: string };
let shirt: string;
const provider = getPaymentProvider('test') as TestPaymentProvider;

beforeAll(async () => {
  server = await startTestServer({ paymentTimeoutMs: TIMEOUT_MS });
  shop = await server.newChannel();
  [shirt] = (await createProduct(server, [shop.id], [{ price: 2500 }])) as [string];
  await stock(server, [shop.id], { [shirt]: 50 });
});
afterAll(() => server.close());
afterEach(() => vi.restoreAllMocks());

async function timed<T>(request: () => Promise<T>): Promise<{ response: T; ms: number }> {
  const started = performance.now();
  const response = await request();
  return { response, ms: performance.now() - started };
}

const paymentOperations = (paymentId: string) =>
  server.db
    .selectFrom('payment_operations')
    .select(['id', 'kind', 'status', 'succeeded', 'amount'])
    .where('payment_id', '=', paymentId)
    .orderBy('id')
    .execute();
const adminOrder = async (id: string) => (await server.admin('GET', `/admin/v1/orders/${id}`)).json();

async function expectCapturedOnce(
  order: { id: string; payment: { provider_reference: string } },
  amount: number,
) {
  expect(await adminOrder(order.id)).toMatchObject({
    status: 'paid',
    payment: { status: 'captured', captured_amount: amount, last_error: null },
  });
  expect(provider.carriedOut(order.payment.provider_reference)).toHaveLength(1);
}

describe('a payment provider that does not answer', () => {
  it('fails the checkout at the deadline and keeps nothing: no order, stock and promotion uses back', async () => {
    const code = `LATE${Date.now()}`;
    const promotion = await server.admin('POST', '/admin/v1/promotions', {
      name: 'late',
      code,
      kind: 'percentage',
      value: 1000,
      usage_limit: 5,
    });
    expect(promotion.statusCode, promotion.body).toBe(201);
    const cartId = await newCart(server, shop.key, [{ variant_id: shirt, quantity: 2 }]);
    await server.store(shop.key, 'PATCH', `/store/v1/carts/${cartId}`, { promotion_codes: [code] });
    const before = await stockOf(server, shirt);

    const { response, ms } = await timed(() => checkout(server, shop.key, cartId, pay('tok_timeout')));

    expect(response.statusCode, response.body).toBe(502);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    const payment = await server.db
      .selectFrom('payments')
      .selectAll()
      .where('cart_id', '=', cartId)
      .executeTakeFirstOrThrow();
    expect(response.json()).toMatchObject({
      status: 502,
      title: 'Bad Gateway',
      code: 'payment_provider_timeout',
      operation: 'authorisation',
      timeout_ms: TIMEOUT_MS,
      payment_id: payment.id,
      detail: expect.stringMatching(/did not answer the authorisation within 200 ms/),
    });
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS);
    expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);

    expect(payment).toMatchObject({
      status: 'failed',
      provider_reference: null,
      last_error: 'authorisation outcome unknown: no answer to the authorisation within 200 ms',
    });
    expect(await server.db.selectFrom('orders').select('id').where('cart_id', '=', cartId).execute()).toEqual(
      [],
    );
    expect(await stockOf(server, shirt)).toEqual(before);
    const promotionRow = await server.db
      .selectFrom('promotions')
      .select('times_used')
      .where('id', '=', promotion.json().id)
      .executeTakeFirstOrThrow();
    expect(Number(promotionRow.times_used)).toBe(0);
    expect(
      await server.db
        .selectFrom('promotion_redemptions')
        .select('id')
        .where('promotion_id', '=', promotion.json().id)
        .execute(),
    ).toEqual([]);

    // The cart stays open: the shopper pays again with another card, the code still applies.
    const again = await checkout(server, shop.key, cartId, pay('tok_visa'));
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().order).toMatchObject({ discount_total: 500, status: 'paid' });
  });

  it('keeps an admin capture pending at the deadline; the recovery finishes it once, with the same key', async () => {
    const manual = await server.newChannel();
    const [mug] = (await createProduct(server, [manual.id], [{ price: 1000 }])) as [string];
    await stock(server, [manual.id], { [mug]: 10 });
    const settings = await server.admin('PUT', `/admin/v1/channels/${manual.id}/checkout-settings`, {
      capture_mode: 'manual',
    });
    expect(settings.statusCode, settings.body).toBe(200);
    const cartId = await newCart(server, manual.key, [{ variant_id: mug, quantity: 3 }]);
    const placed = await checkout(server, manual.key, cartId, pay('tok_timeout_capture'));
    expect(placed.statusCode, placed.body).toBe(201);
    const order = placed.json().order as { id: string; payment: { id: string; provider_reference: string } };

    const { response, ms } = await timed(() =>
      server.admin('POST', `/admin/v1/orders/${order.id}/capture`, {}),
    );

    expect(response.statusCode, response.body).toBe(502);
    const [pending] = await paymentOperations(order.payment.id).then((ops) =>
      ops.filter((op) => op.kind === 'capture'),
    );
    expect(pending).toMatchObject({ status: 'pending', amount: 3000 });
    expect(response.json()).toMatchObject({
      code: 'payment_provider_timeout',
      operation: 'capture',
      operation_id: pending?.id,
      timeout_ms: TIMEOUT_MS,
      detail: expect.stringMatching(/retried with the same idempotency key after 120 seconds/),
    });
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS);
    expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    expect(await adminOrder(order.id)).toMatchObject({
      status: 'authorised',
      payment: { status: 'authorised', captured_amount: 0 },
    });
    // The provider did capture; only its answer was lost.
    expect(provider.carriedOut(order.payment.provider_reference)).toMatchObject([
      { kind: 'capture', idempotencyKey: pending?.id, amount: 3000, ok: true },
    ]);
    // Young, so it may still be running: it blocks the payment and the sweep leaves it.
    const second = await server.admin('POST', `/admin/v1/orders/${order.id}/capture`, {});
    expect(second.json().code).toBe('payment_operation_in_progress');
    expect((await recoverPaymentOperations(server.db)).recovered).toEqual([]);

    const sweep = await recoverPaymentOperations(server.db, 0);

    expect(sweep.recovered).toEqual([pending?.id]);
    expect(await paymentOperations(order.payment.id)).toMatchObject([
      { kind: 'authorise', status: 'succeeded' },
      { id: pending?.id, kind: 'capture', status: 'succeeded', succeeded: true },
    ]);
    await expectCapturedOnce(order, 3000);
  });

  it('leaves an automatic capture pending without failing the placed order; the recovery finishes it', async () => {
    const cartId = await newCart(server, shop.key, [{ variant_id: shirt, quantity: 1 }]);

    const { response, ms } = await timed(() =>
      checkout(server, shop.key, cartId, pay('tok_timeout_capture')),
    );

    expect(response.statusCode, response.body).toBe(201);
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS);
    expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    const order = response.json().order;
    expect(order).toMatchObject({
      status: 'authorised',
      payment: {
        status: 'authorised',
        last_error: expect.stringMatching(/did not answer the capture within 200 ms/),
      },
    });
    const audit = (await adminOrder(order.id)).audit.map((entry: { action: string }) => entry.action);
    expect(audit).toContain('auto_capture_failed');
    const [, pending] = await paymentOperations(order.payment.id);
    expect(pending).toMatchObject({ kind: 'capture', status: 'pending' });

    expect((await recoverPaymentOperations(server.db, 0)).recovered).toEqual([pending?.id]);
    await expectCapturedOnce(order, 2500);
  });

  it('discards the order when placing it fails and the void then times out', async () => {
    const cartId = await newCart(server, shop.key, [{ variant_id: shirt, quantity: 1 }]);
    const before = await stockOf(server, shirt);
    const authorise = provider.authorise.bind(provider);
    vi.spyOn(provider, 'authorise').mockImplementationOnce(async (input) => {
      const result = await authorise(input);
      // The cart changes behind checkout's back, so placing the order fails after authorising.
      await server.db
        .updateTable('carts')
        .set({ status: 'merged', merged_into: cartId })
        .where('id', '=', cartId)
        .execute();
      return result;
    });
    vi.spyOn(provider, 'void').mockRejectedValueOnce(new PaymentProviderTimeout('void', TIMEOUT_MS));

    const response = await checkout(server, shop.key, cartId, pay('tok_visa'));

    expect(response.statusCode, response.body).toBe(409);
    expect(response.json().code).toBe('cart_not_active');
    expect(await server.db.selectFrom('orders').select('id').where('cart_id', '=', cartId).execute()).toEqual(
      [],
    );
    expect(await stockOf(server, shirt)).toEqual(before);
    expect(
      await server.db
        .selectFrom('payments')
        .select(['status', 'last_error'])
        .where('cart_id', '=', cartId)
        .executeTakeFirstOrThrow(),
    ).toEqual({
      status: 'authorised',
      last_error: 'void outcome unknown: no answer to the void within 200 ms',
    });
  });
});
