/**
 * Write path: npx tsx bench/checkout.ts [--products 500] [--concurrency 16] [--duration 20]
 *
 * Seeds a fresh database (PGlite in a temp dir, or a new `merx_bench_<ts>` database on the
 * loopback PostgreSQL named by DATABASE_URL, dropped afterwards) with `--products` demo
 * products, starts the server as a child process on 127.0.0.1, adds a tax region and a
 * shipping option, then runs `--concurrency` shoppers for `--duration` seconds. Each order is
 * the whole journey a head makes: create a cart, add 3 lines, set the address, read the
 * shipping options, choose one, check out with the test provider's `tok_visa` (8 requests).
 * Prints orders/s, per-order p50/p99, per-request p50/p99, errors and the server's peak RSS.
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createBenchDatabase } from './lib/database.js';
import { runMerx, type ServerProcess, startServerProcess } from './lib/server-process.js';

const { values: args } = parseArgs({
  options: {
    products: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '16' },
    duration: { type: 'string', default: '20' },
  },
});
const products = Number(args.products);
const concurrency = Number(args.concurrency);
const durationMs = Number(args.duration) * 1000;
for (const [name, value] of Object.entries({ products, concurrency, durationMs }))
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

async function main() {
  const database = await createBenchDatabase(process.env.DATABASE_URL);
  const secretKey = `sk_bench_${randomBytes(18).toString('base64url')}`;
  let server: ServerProcess | null = null;
  try {
    console.log(
      `Checkout benchmark: ${database.label}, ${products} products, ${concurrency} shoppers, ${durationMs / 1000} s, ${cpus().length} CPU(s), load ${loadavg()[0].toFixed(1)}`,
    );
    await runMerx(['seed', '--products', String(products), '--no-stock'], database.env, 60 * 60_000);
    server = await startServerProcess(
      { ...database.env, MERX_SECRET_KEY: secretKey },
      { readyTimeoutMs: 120_000 },
    );
    const base = server.baseUrl;
    const requestTimes: number[] = [];
    let requestErrors = 0;
    const call = async (method: string, path: string, key: string, body?: unknown) => {
      const started = performance.now();
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      requestTimes.push(performance.now() - started);
      const text = await response.text();
      if (!response.ok) {
        requestErrors++;
        throw new Error(`${method} ${path} → ${response.status} ${text.slice(0, 200)}`);
      }
      return text ? JSON.parse(text) : null;
    };

    const keys = (await call('GET', '/admin/v1/keys', secretKey)).data as Array<{
      token?: string;
      channel_id: string;
    }>;
    const channels = (await call('GET', '/admin/v1/channels', secretKey)).data as Array<{
      id: string;
      kind: string;
    }>;
    const web = channels.find((channel) => channel.kind === 'web')!;
    const pk = keys.find((key) => key.channel_id === web.id)!.token!;
    const region = await call('POST', '/admin/v1/regions', secretKey, {
      name: 'Bench',
      currency: 'EUR',
      countries: ['FR'],
      tax_rate_bps: 2000,
      tax_inclusive: true,
    });
    await call('POST', '/admin/v1/shipping-options', secretKey, {
      region_id: region.id,
      name: 'Standard',
      kind: 'flat',
      amount: 495,
    });
    const variantIds: string[] = [];
    for (const product of (await call('GET', '/store/v1/products?limit=100', pk)).data)
      for (const variant of product.variants) if (variant.price) variantIds.push(variant.id);
    requestTimes.length = 0;

    const orderTimes: number[] = [];
    let orderErrors = 0;
    let sample = '';
    let n = 0;
    const deadline = performance.now() + durationMs;
    const shopper = async () => {
      while (performance.now() < deadline) {
        const started = performance.now();
        const pickVariant = () => variantIds[n++ % variantIds.length]!;
        try {
          const cart = await call('POST', '/store/v1/carts', pk, { email: 'bench@example.com' });
          for (let line = 0; line < 3; line++)
            await call('POST', `/store/v1/carts/${cart.id}/lines`, pk, {
              variant_id: pickVariant(),
              quantity: 1,
            });
          await call('PATCH', `/store/v1/carts/${cart.id}`, pk, {
            shipping_address: {
              first_name: 'Ada',
              last_name: 'Lovelace',
              line1: '12 Rue de Rivoli',
              city: 'Paris',
              postal_code: '75001',
              country: 'FR',
            },
          });
          const options = await call('GET', `/store/v1/carts/${cart.id}/shipping-options`, pk);
          await call('PATCH', `/store/v1/carts/${cart.id}`, pk, { shipping_option_id: options.data[0].id });
          await call('POST', `/store/v1/carts/${cart.id}/checkout`, pk, {
            payment: { provider: 'test', token: 'tok_visa' },
          });
          orderTimes.push(performance.now() - started);
        } catch (error) {
          orderErrors++;
          sample ||= error instanceof Error ? error.message : String(error);
        }
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, shopper));
    const seconds = (performance.now() - started) / 1000;
    orderTimes.sort((a, b) => a - b);
    requestTimes.sort((a, b) => a - b);
    const memory = server.memory();
    console.log(
      [
        `orders: ${orderTimes.length} in ${seconds.toFixed(1)} s = ${(orderTimes.length / seconds).toFixed(1)} orders/s, errors ${orderErrors}${sample ? ` (first: ${sample})` : ''}`,
        `per order (8 requests): p50 ${percentile(orderTimes, 50).toFixed(0)} ms, p99 ${percentile(orderTimes, 99).toFixed(0)} ms`,
        `per request: p50 ${percentile(requestTimes, 50).toFixed(1)} ms, p99 ${percentile(requestTimes, 99).toFixed(1)} ms, failed ${requestErrors}`,
        `server RSS ${memory ? memory.rssMb.toFixed(0) : '?'} MB, peak ${memory ? memory.peakMb.toFixed(0) : '?'} MB; load after ${loadavg()[0].toFixed(1)}`,
      ].join('\n'),
    );
  } finally {
    await server?.stop();
    await database.drop();
  }
}

await main();
