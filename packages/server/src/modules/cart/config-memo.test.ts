import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { CONFIG_MEMO_TTL_MS } from '../../lib/config-memo.js';
import { checkout, newCart, pay } from '../checkout/test-support.js';
import { createProduct, stock } from './test-support.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('configuration memo behind cart pricing', () => {
  it('carts may show another node’s promotion change a moment late; checkout prices from fresh rows', async () => {
    const shop = await server.newChannel();
    const [variant] = await createProduct(server, [shop.id], [{ price: 2000 }]);
    const promotion = await server.admin('POST', '/admin/v1/promotions', {
      name: '10% off everything',
      kind: 'percentage',
      value: 1000,
      conditions: { channel_ids: [shop.id] },
    });
    expect(promotion.statusCode, promotion.body).toBe(201);
    await pause(1_100); // past the quiet second after this node's own write

    const cartId = await newCart(server, shop.key, [{ variant_id: variant as string, quantity: 1 }]);
    const shown = (await server.store(shop.key, 'GET', `/store/v1/carts/${cartId}`)).json();
    expect(shown.totals.total).toBe(1800);

    // Another node ends the promotion: this node hears nothing of it.
    await server.db
      .updateTable('promotions')
      .set({ active: false })
      .where('id', '=', promotion.json().id)
      .execute();
    const stale = (await server.store(shop.key, 'GET', `/store/v1/carts/${cartId}`)).json();
    expect(stale.totals.total).toBe(1800);

    const refused = await checkout(server, shop.key, cartId, { ...pay(), expected_total: 1800 });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'total_changed', expected_total: 1800, total: 2000 });

    await pause(CONFIG_MEMO_TTL_MS + 100);
    const fresh = (await server.store(shop.key, 'GET', `/store/v1/carts/${cartId}`)).json();
    expect(fresh.totals.total).toBe(2000);
  });

  it('a change made through this node shows on the next cart read', async () => {
    const shop = await server.newChannel();
    const [variant] = await createProduct(server, [shop.id], [{ price: 2000 }]);
    const cartId = await newCart(server, shop.key, [{ variant_id: variant as string, quantity: 1 }]);
    await pause(1_100);
    expect((await server.store(shop.key, 'GET', `/store/v1/carts/${cartId}`)).json().totals.total).toBe(2000);
    const promotion = await server.admin('POST', '/admin/v1/promotions', {
      name: '25% off',
      kind: 'percentage',
      value: 2500,
      conditions: { channel_ids: [shop.id] },
    });
    expect(promotion.statusCode, promotion.body).toBe(201);
    expect((await server.store(shop.key, 'GET', `/store/v1/carts/${cartId}`)).json().totals.total).toBe(1500);
  });

  it('a region, shipping option or reservation setting changed through this node applies to the next cart request', async () => {
    const shop = await server.newChannel();
    const [variant] = await createProduct(server, [shop.id], [{ price: 2000 }]);
    await stock(server, [shop.id], { [variant as string]: 5 });
    const region = (
      await server.admin('POST', '/admin/v1/regions', {
        name: 'Germany',
        currency: 'EUR',
        countries: ['DE'],
        tax_rate_bps: 2000,
        tax_inclusive: false,
      })
    ).json();
    const option = (
      await server.admin('POST', '/admin/v1/shipping-options', {
        region_id: region.id,
        name: 'Standard',
        kind: 'flat',
        amount: 500,
      })
    ).json();
    const cartId = await newCart(server, shop.key, [{ variant_id: variant as string, quantity: 1 }]);
    const chosen = await server.store(shop.key, 'PATCH', `/store/v1/carts/${cartId}`, {
      shipping_address: { line1: '1 Unter den Linden', city: 'Berlin', country: 'DE' },
      shipping_option_id: option.id,
    });
    expect(chosen.statusCode, chosen.body).toBe(200);
    await pause(1_100);
    const totals = async () =>
      (await server.store(shop.key, 'GET', `/store/v1/carts/${cartId}`)).json().totals;
    expect(await totals()).toMatchObject({ shipping_total: 500, tax_total: 500 });

    expect(
      (await server.admin('PATCH', `/admin/v1/shipping-options/${option.id}`, { amount: 900 })).statusCode,
    ).toBe(200);
    expect(await totals()).toMatchObject({ shipping_total: 900 });
    expect(
      (await server.admin('PATCH', `/admin/v1/regions/${region.id}`, { tax_rate_bps: 1000 })).statusCode,
    ).toBe(200);
    expect(await totals()).toMatchObject({ shipping_total: 900, tax_total: 290 });

    await pause(1_100);
    // A cart write reads the reservation setting (reads do not): this one fills the memo.
    const written = await server.store(shop.key, 'PATCH', `/store/v1/carts/${cartId}`, {
      email: 'a@example.com',
    });
    expect(written.statusCode, written.body).toBe(200);
    const setting = await server.admin('PUT', `/admin/v1/inventory/channel-settings/${shop.id}`, {
      reservation_point: 'at_add_to_cart',
    });
    expect(setting.statusCode, setting.body).toBe(200);
    const added = await server.store(shop.key, 'POST', `/store/v1/carts/${cartId}/lines`, {
      variant_id: variant,
      quantity: 1,
    });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json().reservation_expires_at).not.toBeNull();
  });
});
