import { expect } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { createProduct, stock } from '../cart/test-support.js';
import { testWebhookSecret } from '../payments/registry.js';
import { TEST_WEBHOOK_SIGNATURE_HEADER } from '../payments/test-provider.js';
import { signatureHeader } from '../payments/webhook-signature.js';

export async function newCart(
  server: TestServer,
  key: string,
  lines: Array<{ variant_id: string; quantity: number }>,
  extra: Record<string, unknown> = { email: 'shopper@example.com' },
  headers: Record<string, string> = {},
): Promise<string> {
  const created = await server.store(key, 'POST', '/store/v1/carts', { lines, ...extra }, headers);
  expect(created.statusCode, created.body).toBe(201);
  return created.json().id;
}

export const pay = (token = 'tok_visa') => ({ payment: { provider: 'test', token } });

export function checkout(
  server: TestServer,
  key: string,
  cartId: string,
  body: unknown = pay(),
  headers: Record<string, string> = {},
) {
  return server.store(key, 'POST', `/store/v1/carts/${cartId}/checkout`, body, headers);
}

/** Delivers a test-provider webhook signed with the configured secret. */
export function sendWebhook(
  server: TestServer,
  body: Record<string, unknown>,
  at = new Date(),
  secret = testWebhookSecret(),
) {
  const raw = JSON.stringify(body);
  return server.app.inject({
    method: 'POST',
    url: '/payments/test/webhook',
    headers: {
      'content-type': 'application/json',
      [TEST_WEBHOOK_SIGNATURE_HEADER]: signatureHeader(secret, raw, at),
    },
    payload: raw,
  });
}

export async function stockOf(server: TestServer, variantId: string) {
  const rows = await server.db
    .selectFrom('inventory_levels')
    .select(['on_hand', 'reserved'])
    .where('variant_id', '=', variantId)
    .execute();
  return {
    onHand: rows.reduce((sum, row) => sum + Number(row.on_hand), 0),
    reserved: rows.reduce((sum, row) => sum + Number(row.reserved), 0),
    lowest: Math.min(...rows.map((row) => Number(row.on_hand) - Number(row.reserved))),
  };
}

/** A test server with one channel selling one stocked shirt (2500, 50 on hand). */
export async function shirtShop(): Promise<{
  server: TestServer;
  shop: { id: string; key: string };
  shirt: string;
}> {
  const server = await startTestServer();
  const shop = await server.newChannel();
  const [shirt] = await createProduct(server, [shop.id], [{ price: 2500 }]);
  await stock(server, [shop.id], { [shirt as string]: 50 });
  return { server, shop, shirt: shirt as string };
}

/** The types of the events written about one resource, in outbox order. */
export async function eventTypesOf(server: TestServer, resourceId: string): Promise<string[]> {
  const rows = await server.db
    .selectFrom('events')
    .select('type')
    .where('resource_id', '=', resourceId)
    .orderBy('seq')
    .execute();
  return rows.map((row) => row.type);
}
