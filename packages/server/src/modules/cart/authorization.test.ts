import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { createProduct, session, signedInCustomer, signIn } from './test-support.js';

let server: TestServer;
let web: { id: string; key: string };
let mobile: { id: string; key: string };
let shirt: string;
beforeAll(async () => {
  server = await startTestServer();
  web = await server.newChannel({ kind: 'web' });
  mobile = await server.newChannel({ kind: 'mobile' });
  // One product in both channels, cheaper on mobile.
  [shirt] = await createProduct(
    server,
    [web.id, mobile.id],
    [{ price: 2000, prices: [{ currency: 'EUR', amount: 1800, channel_id: mobile.id }] }],
  );
});
afterAll(() => server.close());

const cartUrl = (id: string) => `/store/v1/carts/${id}`;

describe('who can reach a cart', () => {
  it('opens a customer’s cart only with that customer’s session, and answers 404 to everyone else', async () => {
    const ada = await signedInCustomer(server, web.key);
    const bob = await signedInCustomer(server, web.key);
    const created = await server.store(
      web.key,
      'POST',
      '/store/v1/carts',
      { lines: [{ variant_id: shirt, quantity: 1 }] },
      session(ada.token),
    );
    expect(created.statusCode).toBe(201);
    const cart = created.json();
    expect(cart).toMatchObject({ customer_id: ada.id, email: ada.email });

    expect(
      (await server.store(web.key, 'GET', cartUrl(cart.id), undefined, session(ada.token))).statusCode,
    ).toBe(200);
    for (const headers of [session(bob.token), {}]) {
      const read = await server.store(web.key, 'GET', cartUrl(cart.id), undefined, headers);
      expect(read.statusCode).toBe(404);
      expect(read.body).not.toContain(ada.email);
      const write = await server.store(
        web.key,
        'POST',
        `${cartUrl(cart.id)}/lines`,
        { variant_id: shirt, quantity: 1 },
        headers,
      );
      expect(write.statusCode).toBe(404);
      const lineWrite = await server.store(
        web.key,
        'DELETE',
        `${cartUrl(cart.id)}/lines/${cart.lines[0].id}`,
        undefined,
        headers,
      );
      expect(lineWrite.statusCode).toBe(404);
      expect(
        (await server.store(web.key, 'GET', `${cartUrl(cart.id)}/shipping-options`, undefined, headers))
          .statusCode,
      ).toBe(404);
    }
    // A not-found cart and someone else's cart are indistinguishable.
    const unknown = await server.store(
      web.key,
      'GET',
      cartUrl('cart_00000000000000000000000000'),
      undefined,
      session(bob.token),
    );
    const other = await server.store(web.key, 'GET', cartUrl(cart.id), undefined, session(bob.token));
    expect({ ...other.json(), detail: '' }).toEqual({ ...unknown.json(), detail: '' });
    expect(
      (await server.store(web.key, 'GET', cartUrl(cart.id), undefined, session(ada.token))).json().lines,
    ).toHaveLength(1);
  });

  it('keeps an anonymous cart inside its channel: another channel’s key gets 404 and changes nothing', async () => {
    const cart = (await server.store(web.key, 'POST', '/store/v1/carts', {})).json();
    expect(cart.customer_id).toBeNull();
    expect((await server.store(web.key, 'GET', cartUrl(cart.id))).statusCode).toBe(200);
    expect((await server.store(mobile.key, 'GET', cartUrl(cart.id))).statusCode).toBe(404);
    const write = await server.store(mobile.key, 'PATCH', cartUrl(cart.id), { email: 'x@example.com' });
    expect(write.statusCode).toBe(404);
    const mobileShopper = await signedInCustomer(server, mobile.key);
    expect(
      (await server.store(mobile.key, 'GET', cartUrl(cart.id), undefined, session(mobileShopper.token)))
        .statusCode,
    ).toBe(404);
    expect((await server.store(web.key, 'GET', cartUrl(cart.id))).json()).toMatchObject({
      email: null,
      version: 1,
    });
  });

  it('continues the owner’s cart in another channel with prices re-selected for it, and says so', async () => {
    const shopper = await signedInCustomer(server, mobile.key);
    const onMobile = (
      await server.store(
        mobile.key,
        'POST',
        '/store/v1/carts',
        { lines: [{ variant_id: shirt, quantity: 1 }] },
        session(shopper.token),
      )
    ).json();
    expect(onMobile).toMatchObject({
      channel_id: mobile.id,
      repriced_for_channel: null,
      totals: { total: 1800 },
    });

    // Same account, signed in on the web head, which picks the cart up.
    const webToken = await signIn(server, web.key, shopper.email);
    const current = await server.store(
      web.key,
      'GET',
      '/store/v1/carts/current',
      undefined,
      session(webToken),
    );
    expect(current.statusCode, current.body).toBe(200);
    expect(current.json()).toMatchObject({ id: onMobile.id, repriced_for_channel: web.id });
    expect((await server.store(web.key, 'GET', '/store/v1/carts/current')).statusCode).toBe(401);
    const stranger = await signedInCustomer(server, web.key);
    expect(
      (await server.store(web.key, 'GET', '/store/v1/carts/current', undefined, session(stranger.token)))
        .statusCode,
    ).toBe(404);
    const read = (
      await server.store(web.key, 'GET', cartUrl(onMobile.id), undefined, session(webToken))
    ).json();
    expect(read).toMatchObject({
      channel_id: mobile.id,
      repriced_for_channel: web.id,
      totals: { total: 2000 },
    });

    const moved = await server.store(
      web.key,
      'POST',
      `${cartUrl(onMobile.id)}/lines`,
      { variant_id: shirt, quantity: 1 },
      session(webToken),
    );
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({
      channel_id: web.id,
      previous_channel_id: mobile.id,
      repriced_for_channel: web.id,
      lines: [{ quantity: 2, unit_price: 2000 }],
      totals: { total: 4000 },
    });
    // Back on mobile, the mobile price applies again.
    const back = (
      await server.store(mobile.key, 'GET', cartUrl(onMobile.id), undefined, session(shopper.token))
    ).json();
    expect(back).toMatchObject({ repriced_for_channel: mobile.id, totals: { total: 3600 } });
  });
});

describe('merging a guest cart at login', () => {
  async function scenario(policy: 'keep_guest' | 'keep_customer' | 'merge_lines') {
    const channel = await server.newChannel();
    const [a, b] = await createProduct(server, [channel.id], [{ price: 100 }, { price: 200 }]);
    const setting = await server.admin('PUT', `/admin/v1/cart-settings/${channel.id}`, {
      merge_policy: policy,
    });
    expect(setting.json()).toMatchObject({ merge_policy: policy, version: 1 });
    const shopper = await signedInCustomer(server, channel.key);
    const saved = (
      await server.store(
        channel.key,
        'POST',
        '/store/v1/carts',
        { lines: [{ variant_id: a, quantity: 1 }] },
        session(shopper.token),
      )
    ).json();
    const guest = (
      await server.store(channel.key, 'POST', '/store/v1/carts', {
        lines: [
          { variant_id: a, quantity: 2 },
          { variant_id: b, quantity: 1 },
        ],
      })
    ).json();
    const merged = await server.store(
      channel.key,
      'POST',
      `${cartUrl(guest.id)}/merge`,
      undefined,
      session(shopper.token),
    );
    expect(merged.statusCode, merged.body).toBe(200);
    return { channel, saved, guest, shopper, result: merged.json(), a, b };
  }

  it('merge_lines sums quantities into the customer’s cart and retires the guest cart', async () => {
    const { saved, guest, result, a, b, channel } = await scenario('merge_lines');
    expect(result).toMatchObject({
      cart_id: saved.id,
      policy: 'merge_lines',
      merged_lines: [
        { variant_id: a, quantity: 2, dropped: 0 },
        { variant_id: b, quantity: 1, dropped: 0 },
      ],
    });
    expect(
      result.cart.lines.map((l: { variant_id: string; quantity: number }) => [l.variant_id, l.quantity]),
    ).toEqual([
      [a, 3],
      [b, 1],
    ]);
    const retired = (await server.store(channel.key, 'GET', cartUrl(guest.id))).json();
    expect(retired).toMatchObject({ status: 'merged', merged_into: saved.id });
    const write = await server.store(channel.key, 'PATCH', cartUrl(guest.id), { email: 'x@example.com' });
    expect(write.statusCode).toBe(409);
    expect(write.json().code).toBe('cart_not_active');
  });

  it('keep_guest makes the device’s cart the customer’s and retires the saved one', async () => {
    const { saved, guest, result, shopper } = await scenario('keep_guest');
    expect(result).toMatchObject({
      cart_id: guest.id,
      policy: 'keep_guest',
      cart: { customer_id: shopper.id },
    });
    expect(result.merged_lines).toHaveLength(2);
    const old = await server.db
      .selectFrom('carts')
      .select(['status', 'merged_into'])
      .where('id', '=', saved.id)
      .executeTakeFirstOrThrow();
    expect(old).toEqual({ status: 'merged', merged_into: guest.id });
  });

  it('keep_customer keeps the saved cart untouched and retires the guest cart', async () => {
    const { saved, result } = await scenario('keep_customer');
    expect(result).toMatchObject({ cart_id: saved.id, policy: 'keep_customer', merged_lines: [] });
    expect(result.cart.lines).toHaveLength(1);
  });

  it('needs a session and refuses another channel’s or a customer’s cart', async () => {
    const guest = (await server.store(web.key, 'POST', '/store/v1/carts', {})).json();
    expect((await server.store(web.key, 'POST', `${cartUrl(guest.id)}/merge`)).statusCode).toBe(401);
    const mobileShopper = await signedInCustomer(server, mobile.key);
    expect(
      (
        await server.store(
          mobile.key,
          'POST',
          `${cartUrl(guest.id)}/merge`,
          undefined,
          session(mobileShopper.token),
        )
      ).statusCode,
    ).toBe(404);
  });
});

describe('prices and promotions for the cart’s owner', () => {
  it('applies a promotion limited to a customer segment only to a cart of a customer in it', async () => {
    const segment = await server.admin('POST', '/admin/v1/segments', {
      name: `New shoppers ${Date.now()}`,
      rules: { match: 'all', conditions: [{ field: 'order_count', op: 'eq', value: 0 }] },
    });
    expect(segment.statusCode, segment.body).toBe(201);
    const promotion = await server.admin('POST', '/admin/v1/promotions', {
      name: 'Welcome',
      kind: 'percentage',
      value: 1000,
      conditions: { segment_ids: [segment.json().id], channel_ids: [web.id] },
    });
    expect(promotion.statusCode, promotion.body).toBe(201);
    const shopper = await signedInCustomer(server, web.key);
    const lines = [{ variant_id: shirt, quantity: 1 }];
    const mine = (
      await server.store(web.key, 'POST', '/store/v1/carts', { lines }, session(shopper.token))
    ).json();
    expect(mine).toMatchObject({
      applied_promotions: [{ promotion_id: promotion.json().id, amount: 200 }],
      totals: { total: 1800 },
    });
    const anonymous = (await server.store(web.key, 'POST', '/store/v1/carts', { lines })).json();
    expect(anonymous).toMatchObject({ applied_promotions: [], totals: { total: 2000 } });
  });
});
