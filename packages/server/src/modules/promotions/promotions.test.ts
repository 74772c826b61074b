import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, unique } from '../../../test/harness.js';
import { inTransaction } from '../../db/transaction.js';
import { loadApplicablePromotions, redeemPromotions, releasePromotionRedemptions } from './service.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const code = () => unique('C').replace('-', '').toUpperCase();

async function create(body: Record<string, unknown>) {
  const response = await server.admin('POST', '/admin/v1/promotions', body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

describe('promotions admin API', () => {
  it('creates, reads, updates with If-Match, lists by code and deletes', async () => {
    const promoCode = code();
    const created = await create({
      name: '10% off',
      code: promoCode,
      kind: 'percentage',
      value: 1000,
      conditions: { min_subtotal: 5000, channel_ids: ['chan_x'] },
      usage_limit: 10,
    });
    expect(created).toMatchObject({
      code: promoCode,
      target: { type: 'order' },
      conditions: { min_subtotal: 5000, channel_ids: ['chan_x'], currency: null },
      times_used: 0,
      version: 1,
    });
    const updated = await server.admin(
      'PATCH',
      `/admin/v1/promotions/${created.id}`,
      { value: 1500, target: { type: 'products', product_ids: ['prod_a'] } },
      { 'if-match': '1' },
    );
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({
      value: 1500,
      target: { type: 'products', product_ids: ['prod_a'] },
    });
    const stale = await server.admin(
      'PATCH',
      `/admin/v1/promotions/${created.id}`,
      { value: 1 },
      { 'if-match': '1' },
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.json().current.value).toBe(1500);

    const listed = await server.admin('GET', `/admin/v1/promotions?code=${promoCode.toLowerCase()}`);
    expect(listed.json().data.map((p: { id: string }) => p.id)).toEqual([created.id]);

    expect((await server.admin('DELETE', `/admin/v1/promotions/${created.id}`)).statusCode).toBe(204);
    expect((await server.admin('GET', `/admin/v1/promotions/${created.id}`)).statusCode).toBe(404);
  });

  it('refuses malformed promotions precisely and changes nothing', async () => {
    const promoCode = code();
    const fixedWithoutCurrency = await server.admin('POST', '/admin/v1/promotions', {
      name: 'x',
      code: promoCode,
      kind: 'fixed',
      value: 500,
    });
    expect(fixedWithoutCurrency.statusCode).toBe(422);
    expect(fixedWithoutCurrency.json().errors[0].field).toBe('/body/conditions/currency');
    const tooMuch = await server.admin('POST', '/admin/v1/promotions', {
      name: 'x',
      kind: 'percentage',
      value: 10_001,
    });
    expect(tooMuch.statusCode).toBe(422);
    const unknownField = await server.admin('POST', '/admin/v1/promotions', {
      name: 'x',
      kind: 'percentage',
      value: 100,
      times_used: 0,
    });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json().errors).toContainEqual({
      field: '/body/times_used',
      message: 'is not a known field',
    });
    const badCode = await server.admin('POST', '/admin/v1/promotions', {
      name: 'x',
      code: 'has space',
      kind: 'percentage',
      value: 100,
    });
    expect(badCode.statusCode).toBe(400);
    expect((await server.admin('GET', `/admin/v1/promotions?code=${promoCode}`)).json().data).toEqual([]);
  });

  it('keeps codes unique regardless of case', async () => {
    const promoCode = code();
    await create({ name: 'a', code: promoCode, kind: 'percentage', value: 100 });
    const clash = await server.admin('POST', '/admin/v1/promotions', {
      name: 'b',
      code: promoCode.toLowerCase(),
      kind: 'percentage',
      value: 100,
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().code).toBe('promotion_code_taken');
  });

  it('needs the promotions scope', async () => {
    const key = await server.admin('POST', '/admin/v1/keys', {
      kind: 'secret',
      name: 'r',
      scopes: ['promotions:read'],
    });
    const token = key.json().token;
    expect((await server.store(token, 'GET', '/admin/v1/promotions')).statusCode).toBe(200);
    const denied = await server.store(token, 'POST', '/admin/v1/promotions', {
      name: 'x',
      kind: 'percentage',
      value: 1,
    });
    expect(denied.statusCode).toBe(403);
  });
});

describe('loadApplicablePromotions', () => {
  it('returns eligible automatic promotions and every entered code, as engine objects', async () => {
    const channel = `chan_${code()}`;
    const entered = code();
    const auto = await create({
      name: 'auto',
      kind: 'percentage',
      value: 500,
      conditions: { channel_ids: [channel] },
    });
    const otherChannel = await create({
      name: 'o',
      kind: 'percentage',
      value: 500,
      conditions: { channel_ids: ['chan_z'] },
    });
    const expired = await create({
      name: 'old',
      kind: 'percentage',
      value: 500,
      conditions: {
        channel_ids: [channel],
        starts_at: '2020-01-01T00:00:00Z',
        ends_at: '2020-02-01T00:00:00Z',
      },
    });
    const coded = await create({
      name: 'coded',
      code: entered,
      kind: 'fixed',
      value: 700,
      conditions: { currency: 'EUR', channel_ids: ['chan_elsewhere'] },
    });
    const found = await loadApplicablePromotions(server.db, {
      channelId: channel,
      currency: 'EUR',
      codes: [` ${entered.toLowerCase()} `],
    });
    const ids = found.map((p) => p.id);
    expect(ids).toContain(auto.id);
    // Coded promotions come back even where they cannot apply, so the engine can say why.
    expect(ids).toContain(coded.id);
    expect(ids).not.toContain(otherChannel.id);
    expect(ids).not.toContain(expired.id);
    expect(found.find((p) => p.id === coded.id)).toMatchObject({
      code: entered,
      kind: 'fixed',
      value: 700,
      conditions: { currency: 'EUR', channelIds: ['chan_elsewhere'] },
    });
  });
});

describe('redeemPromotions', () => {
  it('never exceeds the global limit under concurrent redemptions', async () => {
    const promotion = await create({
      name: 'five',
      code: code(),
      kind: 'percentage',
      value: 1000,
      usage_limit: 5,
    });
    const attempts = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        inTransaction(server.db, (tx) =>
          redeemPromotions(tx, { promotionIds: [promotion.id], orderId: `ord_${i}`, customerId: null }),
        ),
      ),
    );
    const refused = attempts.filter((a) => a.status === 'rejected');
    expect(attempts.length - refused.length).toBe(5);
    for (const failure of refused) {
      expect((failure as PromiseRejectedResult).reason).toMatchObject({
        status: 409,
        code: 'promotion_limit_reached',
      });
    }
    expect((await server.admin('GET', `/admin/v1/promotions/${promotion.id}`)).json().times_used).toBe(5);
  });

  it('holds the per-customer limit under concurrency and limits guests by e-mail', async () => {
    const promotion = await create({
      name: 'once',
      code: code(),
      kind: 'percentage',
      value: 1000,
      usage_limit_per_customer: 1,
    });
    const redeem = (orderId: string, customerId: string | null, email: string | null = null) =>
      inTransaction(server.db, (tx) =>
        redeemPromotions(tx, { promotionIds: [promotion.id], orderId, customerId, email }),
      );
    const same = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => redeem(`ord_a${i}`, 'cus_a')));
    expect(same.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    await expect(redeem('ord_b', 'cus_b')).resolves.toBeUndefined();
    await expect(redeem('ord_g1', null, 'Guest@Example.com')).resolves.toBeUndefined();
    await expect(redeem('ord_g2', null, 'guest@example.com ')).rejects.toMatchObject({
      code: 'promotion_limit_reached',
      extra: { per_customer: true },
    });
  });

  it('gives uses back when an order is released, and refuses deleting a used promotion', async () => {
    const promotion = await create({
      name: 'one',
      code: code(),
      kind: 'percentage',
      value: 1000,
      usage_limit: 1,
    });
    await inTransaction(server.db, (tx) =>
      redeemPromotions(tx, { promotionIds: [promotion.id], orderId: 'ord_r', customerId: null }),
    );
    const used = await server.admin('DELETE', `/admin/v1/promotions/${promotion.id}`);
    expect(used.statusCode).toBe(409);
    const lowered = await server.admin('PATCH', `/admin/v1/promotions/${promotion.id}`, {
      usage_limit: null,
    });
    expect(lowered.statusCode).toBe(200);
    await server.admin('PATCH', `/admin/v1/promotions/${promotion.id}`, { usage_limit: 1 });
    await inTransaction(server.db, (tx) => releasePromotionRedemptions(tx, 'ord_r'));
    expect((await server.admin('GET', `/admin/v1/promotions/${promotion.id}`)).json().times_used).toBe(0);
    await expect(
      inTransaction(server.db, (tx) =>
        redeemPromotions(tx, { promotionIds: [promotion.id], orderId: 'ord_s', customerId: null }),
      ),
    ).resolves.toBeUndefined();
  });
});
