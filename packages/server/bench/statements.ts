/**
 * npm run bench:statements [-- --holds] [-- --verbose] [-- --shoppers 16]
 *
 * Counts the SQL statements one checkout journey sends, step by step (the per-order cost
 * behind the write-path figures): boots the app in-process on the database DATABASE_URL names
 * (or an in-memory PGlite), sets up a small shop, runs the journey a few times and prints the
 * statements of the last one. Statements the request itself sends are told apart (async
 * context) from background work that happens meanwhile (the event bus, subscribers), which is
 * counted as "background" for the whole journey.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startTestServer, unique } from '../test/harness.js';
import { ADDRESS } from './scenarios/checkout.js';

const { values: args } = parseArgs({
  options: {
    holds: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    /** Run this many journeys at once and print the most frequent statements per order instead. */
    shoppers: { type: 'string', default: '0' },
  },
});

let concurrent = false;
const recorded: string[] = [];
const background: string[] = [];
const inRequest = new AsyncLocalStorage<true>();
const query = pg.Client.prototype.query as (...a: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...a: unknown[]) {
  const first = a[0] as string | { text: string };
  const text = typeof first === 'string' ? first : first.text;
  if (concurrent || inRequest.getStore()) recorded.push(text);
  else background.push(text);
  return query.apply(this, a);
} as typeof pg.Client.prototype.query;

const server = await startTestServer({ poolSize: 4 });
const ok = async (response: { statusCode: number; body: string; json(): any }) => {
  if (response.statusCode >= 300) throw new Error(`${response.statusCode} ${response.body}`);
  return response.json();
};
const channel = await server.newChannel();
const product = await ok(
  await server.admin('POST', '/admin/v1/products', {
    handle: unique('product'),
    title: 'Bench product',
    status: 'published',
    channel_ids: [channel.id],
    options: [{ name: 'Size', values: ['S', 'M', 'L'] }],
    variants: ['S', 'M', 'L'].map((size) => ({
      sku: unique('SKU'),
      title: size,
      options: { Size: size },
      prices: [{ currency: 'EUR', amount: 1999 }],
    })),
  }),
);
const variantIds: string[] = product.variants.map((variant: { id: string }) => variant.id);
const location = await ok(
  await server.admin('POST', '/admin/v1/stock-locations', {
    name: unique('warehouse'),
    channel_ids: [channel.id],
  }),
);
for (const variantId of variantIds)
  await ok(
    await server.admin('PUT', `/admin/v1/inventory/variants/${variantId}/levels/${location.id}`, {
      on_hand: 1_000_000,
      reason: 'received',
    }),
  );
await ok(
  await server.admin('PUT', `/admin/v1/inventory/channel-settings/${channel.id}`, {
    reservation_point: args.holds ? 'at_add_to_cart' : 'at_checkout',
  }),
);
const region = await ok(
  await server.admin('POST', '/admin/v1/regions', {
    name: 'Bench',
    currency: 'EUR',
    countries: ['FR'],
    tax_rate_bps: 2000,
    tax_inclusive: true,
  }),
);
await ok(
  await server.admin('POST', '/admin/v1/shipping-options', {
    region_id: region.id,
    name: 'Bench standard',
    kind: 'flat',
    amount: 495,
  }),
);

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

async function journey(): Promise<Array<[string, string[]]>> {
  const steps: Array<[string, string[]]> = [];
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    if (!concurrent) recorded.length = 0;
    const result = await inRequest.run(true, run);
    if (!concurrent) steps.push([name, [...recorded]]);
    return result;
  };
  const store = (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) =>
    server.store(channel.key, method, url, body).then(ok);
  const cart = await step('POST /carts', () =>
    store('POST', '/store/v1/carts', { email: 'bench@example.com' }),
  );
  for (const variantId of variantIds)
    await step('POST /carts/{id}/lines', () =>
      store('POST', `/store/v1/carts/${cart.id}/lines`, { variant_id: variantId, quantity: 1 }),
    );
  await step('PATCH address', () =>
    store('PATCH', `/store/v1/carts/${cart.id}`, { shipping_address: ADDRESS }),
  );
  const options = await step('GET shipping-options', () =>
    store('GET', `/store/v1/carts/${cart.id}/shipping-options`),
  );
  await step('PATCH shipping', () =>
    store('PATCH', `/store/v1/carts/${cart.id}`, { shipping_option_id: options.data[0].id }),
  );
  await step('POST checkout', () =>
    store('POST', `/store/v1/carts/${cart.id}/checkout`, {
      payment: { provider: 'test', token: 'tok_visa' },
    }),
  );
  await settle();
  steps.push(['background (bus, subscribers)', [...background]]);
  background.length = 0;
  return steps;
}

const shoppers = Number(args.shoppers);
if (shoppers > 0) {
  await journey();
  concurrent = true;
  recorded.length = 0;
  const rounds = 4;
  for (let round = 0; round < rounds; round++) await Promise.all(Array.from({ length: shoppers }, journey));
  await settle();
  const orders = rounds * shoppers;
  const counts = new Map<string, number>();
  for (const text of recorded) {
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 110);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  console.log(`${(recorded.length / orders).toFixed(1)} statements per order with ${shoppers} shoppers`);
  for (const [text, count] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 60))
    console.log(`${(count / orders).toFixed(2).padStart(6)}  ${text}`);
  await server.close();
  process.exit(0);
}
await journey();
await journey();
const last = await journey();
let total = 0;
let transactions = 0;
for (const [name, statements] of last) {
  const begins = statements.filter((text) => /^begin/i.test(text)).length;
  total += statements.length;
  transactions += begins;
  console.log(
    `${name.padEnd(26)} ${String(statements.length).padStart(4)} statements  ${begins} transactions`,
  );
  if (args.verbose)
    for (const text of statements) console.log(`    ${text.replace(/\s+/g, ' ').slice(0, 160)}`);
}
console.log(
  `${'one order'.padEnd(26)} ${String(total).padStart(4)} statements  ${transactions} transactions`,
);
await server.close();
