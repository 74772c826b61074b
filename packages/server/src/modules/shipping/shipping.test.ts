import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { createProduct } from '../cart/test-support.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const address = (country: string, region?: string) => ({
  line1: 'Street 1',
  city: 'Town',
  country,
  ...(region ? { region } : {}),
});

describe('regions admin API', () => {
  it('creates, updates with If-Match and deletes a region; a country belongs to one region only', async () => {
    const created = await server.admin('POST', '/admin/v1/regions', {
      name: 'Nordics',
      currency: 'SEK',
      countries: ['SE', 'NO'],
      tax_rate_bps: 2500,
      tax_overrides: [{ country: 'NO', province: null, tax_rate_bps: 2500 }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const region = created.json();
    expect(region).toMatchObject({
      id: expect.stringMatching(/^reg_/),
      countries: ['NO', 'SE'],
      tax_inclusive: false,
      version: 1,
    });

    const clash = await server.admin('POST', '/admin/v1/regions', {
      name: 'X',
      currency: 'SEK',
      countries: ['SE', 'FI'],
      tax_rate_bps: 0,
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.json()).toMatchObject({ code: 'country_in_other_region', countries: ['SE'] });
    // Nothing of the refused region was kept.
    const fi = await server.admin('POST', '/admin/v1/regions', {
      name: 'Finland',
      currency: 'EUR',
      countries: ['FI'],
      tax_rate_bps: 2400,
    });
    expect(fi.statusCode).toBe(201);

    const stale = await server.admin(
      'PATCH',
      `/admin/v1/regions/${region.id}`,
      { tax_inclusive: true },
      { 'if-match': '7' },
    );
    expect(stale.statusCode).toBe(409);
    const updated = await server.admin(
      'PATCH',
      `/admin/v1/regions/${region.id}`,
      { tax_inclusive: true, countries: ['SE'] },
      { 'if-match': '1' },
    );
    expect(updated.statusCode, updated.body).toBe(422); // the NO override no longer has its country
    const fixed = await server.admin(
      'PATCH',
      `/admin/v1/regions/${region.id}`,
      { tax_inclusive: true, countries: ['SE'], tax_overrides: [] },
      { 'if-match': '1' },
    );
    expect(fixed.json()).toMatchObject({ tax_inclusive: true, countries: ['SE'], version: 2 });
    expect((await server.admin('DELETE', `/admin/v1/regions/${region.id}`)).statusCode).toBe(204);
    expect((await server.admin('GET', `/admin/v1/regions/${region.id}`)).statusCode).toBe(404);
  });

  it('validates currencies, countries, rates and unknown fields', async () => {
    const base = { name: 'R', currency: 'EUR', countries: ['PT'], tax_rate_bps: 2300 };
    expect((await server.admin('POST', '/admin/v1/regions', { ...base, currency: 'EUD' })).statusCode).toBe(
      422,
    );
    expect((await server.admin('POST', '/admin/v1/regions', { ...base, countries: ['XX'] })).statusCode).toBe(
      422,
    );
    expect(
      (await server.admin('POST', '/admin/v1/regions', { ...base, tax_rate_bps: 10_001 })).statusCode,
    ).toBe(400);
    expect(
      (await server.admin('POST', '/admin/v1/regions', { ...base, tax_rate_bps: 19.5 })).statusCode,
    ).toBe(400);
    expect((await server.admin('POST', '/admin/v1/regions', { ...base, vat: 1 })).statusCode).toBe(400);
  });

  it('creates options of each kind and refuses fields of another kind', async () => {
    const region = (
      await server.admin('POST', '/admin/v1/regions', {
        name: 'PL',
        currency: 'PLN',
        countries: ['PL'],
        tax_rate_bps: 2300,
      })
    ).json();
    const flat = await server.admin('POST', '/admin/v1/shipping-options', {
      region_id: region.id,
      name: 'Courier',
      kind: 'flat',
      amount: 1500,
    });
    expect(flat.statusCode, flat.body).toBe(201);
    expect(flat.json()).toMatchObject({ kind: 'flat', amount: 1500, threshold: null, weight_brackets: null });
    const mixed = await server.admin('POST', '/admin/v1/shipping-options', {
      region_id: region.id,
      name: 'X',
      kind: 'flat',
      amount: 1,
      threshold: 5,
    });
    expect(mixed.statusCode).toBe(400);
    const patch = await server.admin('PATCH', `/admin/v1/shipping-options/${flat.json().id}`, {
      threshold: 10,
    });
    expect(patch.statusCode).toBe(422);
    const overlapping = await server.admin('POST', '/admin/v1/shipping-options', {
      region_id: region.id,
      name: 'Heavy',
      kind: 'weight',
      weight_brackets: [
        { up_to_grams: 1000, amount: 100 },
        { up_to_grams: 1000, amount: 200 },
      ],
    });
    expect(overlapping.statusCode).toBe(422);
    const unknownRegion = await server.admin('POST', '/admin/v1/shipping-options', {
      region_id: 'reg_nope',
      name: 'X',
      kind: 'flat',
      amount: 1,
    });
    expect(unknownRegion.statusCode).toBe(422);
    const listed = await server.admin('GET', `/admin/v1/shipping-options?region_id=${region.id}`);
    expect(listed.json().data).toHaveLength(1);
  });
});

describe('shipping options and tax on a real cart', () => {
  let channel: { id: string; key: string };
  let light: string;
  let heavy: string;
  beforeAll(async () => {
    channel = await server.newChannel({ currencies: ['EUR', 'USD'] });
    [light, heavy] = await createProduct(
      server,
      [channel.id],
      [
        { price: 1000, weightGrams: 300, prices: [{ currency: 'USD', amount: 1100 }] },
        { price: 5000, weightGrams: 4000 },
      ],
    );
    const eu = (
      await server.admin('POST', '/admin/v1/regions', {
        name: 'EU',
        currency: 'EUR',
        countries: ['DE', 'FR', 'ES'],
        tax_rate_bps: 1900,
        tax_overrides: [
          { country: 'FR', province: null, tax_rate_bps: 2000 },
          { country: 'ES', province: 'CN', tax_rate_bps: 700 },
        ],
        tax_inclusive: true,
      })
    ).json();
    const us = (
      await server.admin('POST', '/admin/v1/regions', {
        name: 'US',
        currency: 'USD',
        countries: ['US'],
        tax_rate_bps: 800,
      })
    ).json();
    for (const option of [
      { region_id: eu.id, name: 'Standard', kind: 'free_over', amount: 495, threshold: 5000 },
      {
        region_id: eu.id,
        name: 'Freight',
        kind: 'weight',
        weight_brackets: [
          { up_to_grams: 1000, amount: 700 },
          { up_to_grams: 5000, amount: 1500 },
        ],
      },
      { region_id: us.id, name: 'Ground', kind: 'flat', amount: 900 },
    ]) {
      expect((await server.admin('POST', '/admin/v1/shipping-options', option)).statusCode).toBe(201);
    }
  });

  const newCart = async (body: Record<string, unknown>) => {
    const response = await server.store(channel.key, 'POST', '/store/v1/carts', body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  };
  const patch = (id: string, body: Record<string, unknown>) =>
    server.store(channel.key, 'PATCH', `/store/v1/carts/${id}`, body);
  const options = async (id: string) =>
    (await server.store(channel.key, 'GET', `/store/v1/carts/${id}/shipping-options`)).json().data as Array<{
      id: string;
      name: string;
      amount: number;
      selected: boolean;
    }>;

  it('lists options by shipping country and currency, priced for the cart', async () => {
    const cart = await newCart({ lines: [{ variant_id: light, quantity: 2 }] });
    expect(await options(cart.id)).toEqual([]);
    expect(cart.shipping_options_available).toBe(0);
    await patch(cart.id, { shipping_address: address('DE') });
    expect((await options(cart.id)).map((o) => [o.name, o.amount])).toEqual([
      ['Standard', 495],
      ['Freight', 700],
    ]);
    await patch(cart.id, { shipping_address: address('US') });
    expect(await options(cart.id)).toEqual([]); // US options are priced in USD, the cart is in EUR
    await patch(cart.id, { shipping_address: address('JP') });
    expect(await options(cart.id)).toEqual([]);

    const usdCart = await newCart({ currency: 'USD', lines: [{ variant_id: light, quantity: 1 }] });
    await patch(usdCart.id, { shipping_address: address('US') });
    expect((await options(usdCart.id)).map((o) => [o.name, o.amount])).toEqual([['Ground', 900]]);

    // Free over the threshold; heavier than the last bracket gets no freight option.
    const big = await newCart({ lines: [{ variant_id: heavy, quantity: 2 }] });
    await patch(big.id, { shipping_address: address('DE') });
    expect((await options(big.id)).map((o) => [o.name, o.amount])).toEqual([['Standard', 0]]);
  });

  it('computes tax-inclusive totals in the EU: the shopper pays shelf price plus shipping', async () => {
    const cart = await newCart({ lines: [{ variant_id: light, quantity: 2 }] });
    await patch(cart.id, { shipping_address: address('DE') });
    const standard = (await options(cart.id)).find((o) => o.name === 'Standard');
    const chosen = await patch(cart.id, { shipping_option_id: standard?.id });
    expect(chosen.statusCode, chosen.body).toBe(200);
    // 2000 gross incl. 19 %: tax 2000 × 19/119 = 319.33 → 319; shipping 495 incl. 79.03 → 79.
    expect(chosen.json()).toMatchObject({
      tax: { rate_bps: 1900, inclusive: true },
      shipping: { name: 'Standard', amount: 495, tax: 79 },
      lines: [{ subtotal: 2000, tax: 319, total: 2000 }],
      totals: { subtotal: 2000, discount_total: 0, shipping_total: 495, tax_total: 398, total: 2495 },
    });
    // France overrides the rate; the option stays because FR is in the same region.
    const fr = (await patch(cart.id, { shipping_address: address('FR') })).json();
    expect(fr).toMatchObject({ tax: { rate_bps: 2000 }, totals: { tax_total: 333 + 83, total: 2495 } });
    // A province override.
    const canaries = (await patch(cart.id, { shipping_address: address('ES', 'CN') })).json();
    expect(canaries.tax.rate_bps).toBe(700);
  });

  it('computes tax-exclusive totals in the US: tax on top of goods and shipping', async () => {
    const cart = await newCart({ currency: 'USD', lines: [{ variant_id: light, quantity: 3 }] });
    await patch(cart.id, { shipping_address: address('US') });
    const ground = (await options(cart.id))[0];
    const chosen = (await patch(cart.id, { shipping_option_id: ground?.id })).json();
    // 3300 + 8 % = 264; shipping 900 + 72.
    expect(chosen).toMatchObject({
      tax: { rate_bps: 800, inclusive: false },
      totals: { subtotal: 3300, shipping_total: 900, tax_total: 264 + 72, total: 3300 + 264 + 900 + 72 },
    });
  });

  it('refuses an option that does not serve the cart and drops a chosen option when the address leaves its region', async () => {
    const cart = await newCart({ lines: [{ variant_id: light, quantity: 1 }] });
    const withoutAddress = await patch(cart.id, { shipping_option_id: 'ship_unknown' });
    expect(withoutAddress.statusCode).toBe(422);
    expect(withoutAddress.json().code).toBe('shipping_option_unavailable');
    await patch(cart.id, { shipping_address: address('DE') });
    const freight = (await options(cart.id)).find((o) => o.name === 'Freight');
    expect((await patch(cart.id, { shipping_option_id: freight?.id })).json().shipping.amount).toBe(700);
    const moved = (await patch(cart.id, { shipping_address: address('JP') })).json();
    expect(moved).toMatchObject({
      shipping_option_id: null,
      shipping: null,
      tax: null,
      totals: { total: 1000 },
    });
  });
});
