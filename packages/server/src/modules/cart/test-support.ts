import { expect } from 'vitest';
import { type TestServer, unique } from '../../../test/harness.js';

export interface VariantSpec {
  price: number;
  currency?: string;
  weightGrams?: number;
  /** Extra prices, e.g. a channel-specific one. */
  prices?: Array<Record<string, unknown>>;
}

/** Creates a published product in `channelIds` with one variant per spec; returns the variant IDs. */
export async function createProduct(
  server: TestServer,
  channelIds: string[],
  specs: VariantSpec[],
): Promise<string[]> {
  const sku = unique('SKU').toUpperCase();
  const values = specs.map((_, i) => `V${i}`);
  const response = await server.admin('POST', '/admin/v1/products', {
    handle: unique('product'),
    title: 'Test product',
    status: 'published',
    channel_ids: channelIds,
    options: [{ name: 'Variant', values }],
    variants: specs.map((spec, i) => ({
      sku: `${sku}-${i}`,
      title: values[i],
      options: { Variant: values[i] },
      ...(spec.weightGrams === undefined ? {} : { weight_grams: spec.weightGrams }),
      prices: [{ currency: spec.currency ?? 'EUR', amount: spec.price }, ...(spec.prices ?? [])],
    })),
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().variants.map((variant: { id: string }) => variant.id);
}

/** A stock location serving the channels, holding `onHand` of each variant. */
export async function stock(
  server: TestServer,
  channelIds: string[],
  levels: Record<string, number>,
): Promise<string> {
  const location = await server.admin('POST', '/admin/v1/stock-locations', {
    name: unique('warehouse'),
    channel_ids: channelIds,
  });
  expect(location.statusCode).toBe(201);
  for (const [variantId, onHand] of Object.entries(levels)) {
    const set = await server.admin(
      'PUT',
      `/admin/v1/inventory/variants/${variantId}/levels/${location.json().id}`,
      {
        on_hand: onHand,
        reason: 'received',
      },
    );
    expect(set.statusCode).toBe(200);
  }
  return location.json().id;
}

export async function reserveAtAddToCart(
  server: TestServer,
  channelId: string,
  ttlSeconds = 900,
): Promise<void> {
  const response = await server.admin('PUT', `/admin/v1/inventory/channel-settings/${channelId}`, {
    reservation_point: 'at_add_to_cart',
    reservation_ttl_seconds: ttlSeconds,
  });
  expect(response.statusCode).toBe(200);
}

const PASSWORD = 'correct horse battery';

/** Registers a customer and signs them in on the channel of `key`; returns the session token. */
export async function signedInCustomer(
  server: TestServer,
  key: string,
  email = `${unique('shopper')}@example.com`,
) {
  const registered = await server.store(key, 'POST', '/store/v1/customers', { email, password: PASSWORD });
  expect(registered.statusCode).toBe(201);
  return { id: registered.json().id as string, email, token: await signIn(server, key, email) };
}

export async function signIn(server: TestServer, key: string, email: string): Promise<string> {
  const login = await server.store(key, 'POST', '/store/v1/customers/login', { email, password: PASSWORD });
  expect(login.statusCode).toBe(200);
  return login.json().token;
}

export const session = (token: string) => ({ 'x-customer-token': token });
