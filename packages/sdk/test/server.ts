import type { AddressInfo } from 'node:net';
import { startTestServer, type TestServer, unique } from '../../server/test/harness.js';
import { createAdminClient } from '../src/index.js';

export interface LiveServer {
  server: TestServer;
  baseUrl: string;
  admin: ReturnType<typeof createAdminClient>;
  close(): Promise<void>;
}

/** The real server in process over an in-memory PGlite, listening on a random loopback port. */
export async function startLiveServer(): Promise<LiveServer> {
  const server = await startTestServer();
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = server.app.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    server,
    baseUrl,
    admin: createAdminClient({ baseUrl, secretKey: server.adminKey }),
    close: () => server.close(),
  };
}

/** A published product sold in `channelId` with one variant per price (EUR), stocked `onHand` each. */
export async function createStockedProduct(
  live: LiveServer,
  channelId: string,
  prices: number[],
  onHand = 50,
): Promise<{ productId: string; handle: string; variantIds: string[] }> {
  const handle = unique('product');
  const sku = unique('SKU').toUpperCase();
  const values = prices.map((_, i) => `V${i}`);
  const product = await live.admin.post('/admin/v1/products', {
    body: {
      handle,
      title: `Product ${handle}`,
      status: 'published',
      channel_ids: [channelId],
      options: [{ name: 'Variant', values }],
      variants: prices.map((amount, i) => ({
        sku: `${sku}-${i}`,
        title: values[i],
        options: { Variant: values[i] },
        prices: [{ currency: 'EUR', amount }],
      })),
    },
  });
  const location = await live.admin.post('/admin/v1/stock-locations', {
    body: { name: unique('warehouse'), channel_ids: [channelId] },
  });
  const variantIds = product.variants.map((variant) => variant.id);
  for (const variantId of variantIds) {
    await live.admin.put('/admin/v1/inventory/variants/{variant_id}/levels/{location_id}', {
      params: { path: { variant_id: variantId, location_id: location.id } },
      body: { on_hand: onHand, reason: 'received' },
    });
  }
  return { productId: product.id, handle, variantIds };
}
