import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, unique } from '../../../test/harness.js';
import { createProduct } from '../cart/test-support.js';

let server: TestServer;
let shop: { id: string; key: string };
let shirt: string;
let mug: string;
beforeAll(async () => {
  server = await startTestServer();
  shop = await server.newChannel();
  [shirt, mug] = await createProduct(server, [shop.id], [{ price: 2500 }, { price: 1200 }]);
});
afterAll(() => server.close());

const PASSWORD = 'correct horse battery';
const session = (token: string) => ({ 'x-customer-token': token });

async function customerWithCart(lines: Array<{ variant_id: string; quantity: number }>) {
  const email = `${unique('merger')}@example.com`;
  expect(
    (await server.store(shop.key, 'POST', '/store/v1/customers', { email, password: PASSWORD })).statusCode,
  ).toBe(201);
  const login = await server.store(shop.key, 'POST', '/store/v1/customers/login', {
    email,
    password: PASSWORD,
  });
  const token = login.json().token;
  const cart = await server.store(shop.key, 'POST', '/store/v1/carts', { lines }, session(token));
  expect(cart.statusCode, cart.body).toBe(201);
  return { email, cartId: cart.json().id as string };
}

async function guestCart(key: string, lines: Array<{ variant_id: string; quantity: number }>) {
  const cart = await server.store(key, 'POST', '/store/v1/carts', { lines });
  expect(cart.statusCode, cart.body).toBe(201);
  return cart.json().id as string;
}

const login = (email: string, extra: Record<string, unknown> = {}, password = PASSWORD) =>
  server.store(shop.key, 'POST', '/store/v1/customers/login', { email, password, ...extra });

describe('login with a guest cart', () => {
  it('merges the guest lines into the customer’s cart and says what was merged', async () => {
    const { email, cartId } = await customerWithCart([{ variant_id: shirt, quantity: 1 }]);
    const guest = await guestCart(shop.key, [
      { variant_id: shirt, quantity: 2 },
      { variant_id: mug, quantity: 1 },
    ]);
    const response = await login(email, { cart_id: guest });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().cart_merge).toEqual({
      cart_id: cartId,
      policy: 'merge_lines',
      merged_lines: [
        { variant_id: shirt, quantity: 2, dropped: 0 },
        { variant_id: mug, quantity: 1, dropped: 0 },
      ],
      error: null,
    });
    const token = response.json().token;
    const cart = await server.store(shop.key, 'GET', `/store/v1/carts/${cartId}`, undefined, session(token));
    const quantities = Object.fromEntries(
      cart
        .json()
        .lines.map((line: { variant_id: string; quantity: number }) => [line.variant_id, line.quantity]),
    );
    expect(quantities).toEqual({ [shirt]: 3, [mug]: 1 });

    // The guest cart is spent: a second login with it is refused, but still signs in.
    const again = await login(email, { cart_id: guest });
    expect(again.statusCode).toBe(200);
    expect(again.json().cart_merge).toMatchObject({ cart_id: null, error: { code: 'cart_not_active' } });
  });

  it('signs in even when the cart cannot be merged, and changes no cart', async () => {
    const { email } = await customerWithCart([{ variant_id: mug, quantity: 1 }]);
    const other = await server.newChannel();
    const [foreignVariant] = await createProduct(server, [other.id], [{ price: 100 }]);
    const foreign = await guestCart(other.key, [{ variant_id: foreignVariant, quantity: 1 }]);
    for (const cartId of ['cart_00000000000000000000000000', foreign]) {
      const response = await login(email, { cart_id: cartId });
      expect(response.statusCode).toBe(200);
      expect(response.json().cart_merge).toMatchObject({
        cart_id: null,
        policy: null,
        merged_lines: [],
        error: { code: 'not_found' },
      });
      const me = await server.store(
        shop.key,
        'GET',
        '/store/v1/customers/me',
        undefined,
        session(response.json().token),
      );
      expect(me.statusCode).toBe(200);
    }
    const untouched = await server.store(other.key, 'GET', `/store/v1/carts/${foreign}`);
    expect(untouched.json()).toMatchObject({ status: 'active', customer_id: null, version: 1 });
  });

  it('merges nothing on a failed login and leaves cart_merge out when no cart is sent', async () => {
    const { email } = await customerWithCart([]);
    const guest = await guestCart(shop.key, [{ variant_id: shirt, quantity: 1 }]);
    const failed = await login(email, { cart_id: guest }, 'wrong password');
    expect(failed.statusCode).toBe(401);
    const still = await server.store(shop.key, 'GET', `/store/v1/carts/${guest}`);
    expect(still.json()).toMatchObject({ status: 'active', customer_id: null });
    const plain = await login(email);
    expect(plain.json()).not.toHaveProperty('cart_merge');
  });
});
