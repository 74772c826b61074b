import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TestServer } from '../../../test/harness.js';
import { checkout, newCart, pay, shirtShop, stockOf } from '../checkout/test-support.js';
import type { PaymentCall } from '../payments/provider.js';
import { getPaymentProvider } from '../payments/registry.js';
import type { TestPaymentProvider } from '../payments/test-provider.js';
import { recoverPaymentOperations } from './recovery.js';

let server: TestServer;
let shop: { id: string; key: string };
let shirt: string;
const provider = getPaymentProvider('test') as TestPaymentProvider;

beforeAll(async () => {
  ({ server, shop, shirt } = await shirtShop());
});
afterAll(() => server.close());
afterEach(() => vi.restoreAllMocks());

async function placeOrder(token = 'tok_visa') {
  const cartId = await newCart(server, shop.key, [{ variant_id: shirt, quantity: 2 }]);
  const response = await checkout(server, shop.key, cartId, pay(token));
  expect(response.statusCode, response.body).toBe(201);
  return response.json().order as { id: string; payment: { id: string; provider_reference: string } };
}

const post = (path: string, body?: unknown) => server.admin('POST', `/admin/v1/orders/${path}`, body);
const getOrder = async (id: string) => (await server.admin('GET', `/admin/v1/orders/${id}`)).json();
const operationsOf = (paymentId: string) =>
  server.db
    .selectFrom('payment_operations')
    .select(['id', 'kind', 'amount', 'status', 'succeeded', 'error'])
    .where('payment_id', '=', paymentId)
    .where('kind', '!=', 'authorise')
    .orderBy('id')
    .execute();
const refundsAt = (reference: string) => provider.carriedOut(reference).filter((op) => op.kind === 'refund');

describe('two-phase admin payment actions', () => {
  it('lets only one of two concurrent refunds reach the provider; the other gets 409', async () => {
    const order = await placeOrder();
    const original = provider.refund.bind(provider);
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reached = () => {};
    const atProvider = new Promise<void>((resolve) => {
      reached = resolve;
    });
    vi.spyOn(provider, 'refund').mockImplementation(async (call) => {
      reached();
      await gate;
      return original(call);
    });

    const first = post(`${order.id}/refund`, { amount: 1000 });
    await atProvider;
    // The first refund holds no transaction while it waits: the order can still be read.
    expect((await getOrder(order.id)).refunded_amount).toBe(0);
    const second = await post(`${order.id}/refund`, { amount: 1000 });
    expect(second.statusCode, second.body).toBe(409);
    expect(second.json()).toMatchObject({ code: 'payment_operation_in_progress', operation: 'refund' });
    release();
    const done = await first;
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ refunded_amount: 1000, payment: { refunded_amount: 1000 } });

    expect(refundsAt(order.payment.provider_reference)).toHaveLength(1);
    const operations = await operationsOf(order.payment.id);
    expect(operations.map((op) => [op.kind, op.amount, op.status])).toEqual([
      ['capture', 5000, 'succeeded'],
      ['refund', 1000, 'succeeded'],
    ]);
    expect(refundsAt(order.payment.provider_reference)[0]?.idempotencyKey).toBe(operations[1]?.id);
  });

  it('keeps a refused refund, capture or void in the log and leaves the order as it was', async () => {
    const refused = await placeOrder('tok_fail_refund');
    const refund = await post(`${refused.id}/refund`, { amount: 300 });
    expect(refund.statusCode).toBe(502);
    expect(refund.json()).toMatchObject({ code: 'payment_provider_error', operation: 'refund' });
    expect(await getOrder(refused.id)).toMatchObject({
      status: 'paid',
      refunded_amount: 0,
      payment: { status: 'captured', last_error: 'The test card refuses refunds' },
    });
    expect((await operationsOf(refused.payment.id)).at(-1)).toMatchObject({
      kind: 'refund',
      amount: 300,
      status: 'failed',
      succeeded: false,
      error: 'The test card refuses refunds',
    });

    const uncapturable = await placeOrder('tok_fail_capture');
    const capture = await post(`${uncapturable.id}/capture`, {});
    expect(capture.statusCode).toBe(502);
    const afterCapture = await getOrder(uncapturable.id);
    expect(afterCapture).toMatchObject({ status: 'authorised', captured_amount: 0 });
    expect(afterCapture.audit.map((entry: { action: string }) => entry.action)).not.toContain('capture');
    expect((await operationsOf(uncapturable.payment.id)).map((op) => op.status)).toEqual([
      'failed',
      'failed',
    ]);

    const settings = `/admin/v1/channels/${shop.id}/checkout-settings`;
    expect((await server.admin('PUT', settings, { capture_mode: 'manual' })).statusCode).toBe(200);
    const unvoidable = await placeOrder('tok_fail_void');
    await server.admin('PUT', settings, { capture_mode: 'automatic' });
    const before = await stockOf(server, shirt);
    const cancel = await post(`${unvoidable.id}/cancel`, { reason: 'changed my mind' });
    expect(cancel.statusCode).toBe(502);
    expect(cancel.json()).toMatchObject({ code: 'payment_provider_error', operation: 'void' });
    expect(await getOrder(unvoidable.id)).toMatchObject({ status: 'authorised', cancel_reason: null });
    expect(await stockOf(server, shirt)).toEqual(before);
    expect((await operationsOf(unvoidable.payment.id)).map((op) => [op.kind, op.status])).toEqual([
      ['void', 'failed'],
    ]);
  });

  it('recovers a refund whose process died after the provider call, once', async () => {
    const order = await placeOrder();
    const original = provider.refund.bind(provider);
    const calls: PaymentCall[] = [];
    vi.spyOn(provider, 'refund').mockImplementation(async (call) => {
      calls.push(call);
      const result = await original(call);
      if (calls.length === 1) throw new Error('connection reset after the refund');
      return result;
    });

    const lost = await post(`${order.id}/refund`, { amount: 700 });
    expect(lost.statusCode).toBe(502);
    expect(lost.json().code).toBe('payment_outcome_unknown');
    const [, pending] = await operationsOf(order.payment.id);
    expect(pending).toMatchObject({ kind: 'refund', amount: 700, status: 'pending' });
    expect((await getOrder(order.id)).refunded_amount).toBe(0);
    // Young: it may still be running somewhere, so it blocks the payment.
    expect((await post(`${order.id}/refund`, { amount: 300 })).json().code).toBe(
      'payment_operation_in_progress',
    );
    expect((await recoverPaymentOperations(server.db)).recovered).toEqual([]);

    await sql`UPDATE payment_operations SET attempted_at = now() - interval '10 minutes'
      WHERE id = ${pending?.id}`.execute(server.db);
    const [sweepA, sweepB, next] = await Promise.all([
      recoverPaymentOperations(server.db),
      recoverPaymentOperations(server.db),
      post(`${order.id}/refund`, { amount: 300 }),
    ]);
    expect([200, 409]).toContain(next.statusCode);
    const nextRefunded = next.statusCode === 200 ? 300 : 0;

    expect(calls.filter((call) => call.idempotencyKey === pending?.id).length).toBeGreaterThanOrEqual(2);
    expect(refundsAt(order.payment.provider_reference).map((op) => [op.idempotencyKey, op.amount])).toEqual([
      [pending?.id, 700],
      ...(nextRefunded ? [[expect.any(String), 300]] : []),
    ]);
    expect(sweepA.recovered.length + sweepB.recovered.length).toBeLessThanOrEqual(1);
    const after = await getOrder(order.id);
    expect(after).toMatchObject({
      refunded_amount: 700 + nextRefunded,
      payment: { refunded_amount: 700 + nextRefunded },
    });
    const refundAudits = after.audit.filter(
      (entry: { action: string; data: { amount?: number } }) =>
        entry.action === 'refund' && entry.data.amount === 700,
    );
    expect(refundAudits).toHaveLength(1);
    expect(refundAudits[0].actor.kind).toBe('secret_key');
    const events = await server.db
      .selectFrom('events')
      .select('type')
      .where('resource_id', '=', order.id)
      .where('type', '=', 'order.refunded')
      .execute();
    expect(events).toHaveLength(nextRefunded ? 2 : 1);
    expect((await operationsOf(order.payment.id)).filter((op) => op.status === 'pending')).toEqual([]);
  });
});
