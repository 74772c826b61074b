/**
 * Recommendation latency: npx tsx bench/recommendations.ts [--products 2000] [--orders 100000]
 *   [--requests 800] [--json out.json] [--template DB | --existing] [--keep]
 *
 * `--template DB` clones an already seeded PostgreSQL database (`CREATE DATABASE … TEMPLATE DB`,
 * retried while DB has other sessions; DB itself is never written) instead of seeding; orders are
 * loaded and the lists rebuilt in the clone. `--keep` leaves the bench database in place (its name
 * is printed) and `--existing` measures such a kept database (DATABASE_URL) without loading again.
 * Besides latency it prints CPU per request: the server process and the PostgreSQL backends.
 *
 * Seeds a fresh database with the demo catalog (PGlite in a temp dir, or a new
 * `merx_bench_<ts>` database on the loopback PostgreSQL named by DATABASE_URL, dropped
 * afterwards), bulk-loads `--orders` synthetic placed orders with SQL (generate_series: 1–4
 * lines each, popularity skewed towards a head of products, each basket's partners drawn
 * from the 60 products after its first, nearer ones likelier, so pairs recur with varied counts), runs `merx recs rebuild`, starts the server as a child process, creates a
 * few carts and consenting visitors through the API, then sends recommendation requests one
 * at a time over HTTP (keep-alive) and prints p50 / p95 / p99 per intent. `related (long tail)`
 * asks for products sampled from the whole assortment (1,000), which the per-node memos rarely hold.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { cpuMeter } from './lib/cpu.js';
import { type BenchDatabase, createBenchDatabase, existingBenchDatabase } from './lib/database.js';
import { runMerx, type ServerProcess, startServerProcess } from './lib/server-process.js';

const { values: args } = parseArgs({
  options: {
    products: { type: 'string', default: '2000' },
    orders: { type: 'string', default: '100000' },
    requests: { type: 'string', default: '800' },
    json: { type: 'string' },
    template: { type: 'string' },
    existing: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
if (args.template && args.existing) throw new Error('--template and --existing exclude each other');
if (args.template && !/^[a-z_][a-z0-9_]*$/.test(args.template))
  throw new Error('--template must be a plain database name');
const products = Number(args.products);
const orders = Number(args.orders);
const requests = Number(args.requests);
for (const [name, value] of Object.entries({ products, orders, requests }))
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);

/** Deterministic choices, so two runs send the same requests. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}
const next = random(7);
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

/**
 * `--orders` placed orders in the web channel, written set-based. The first product is drawn
 * skewed to the head (index ∝ random³); the others lie 1–60 places after it in the product
 * list, nearer ones likelier (offset ∝ random²), so co-purchase pairs recur with varied counts
 * and popular products get full neighbour lists.
 */
async function loadOrders(database: BenchDatabase): Promise<number> {
  const url = database.env.DATABASE_URL;
  if (!url) throw new Error('the recommendation bench bulk-loads orders with SQL: set DATABASE_URL');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  try {
    await client.query('BEGIN');
    await client.query(`CREATE TEMP TABLE bench_shelf ON COMMIT DROP AS
      SELECT row_number() OVER (ORDER BY p.id) - 1 AS n, p.id AS product_id, v.id AS variant_id, c.id AS channel_id
      FROM channels c JOIN product_channels pc ON pc.channel_id = c.id
      JOIN products p ON p.id = pc.product_id AND p.status = 'published'
      JOIN LATERAL (SELECT id FROM variants WHERE product_id = p.id ORDER BY position, id LIMIT 1) v ON true
      WHERE c.metadata->>'demo' = 'web'`);
    await client.query('CREATE UNIQUE INDEX ON bench_shelf (n)');
    const { rows } = await client.query(
      'SELECT count(*)::int AS n, min(channel_id) AS channel FROM bench_shelf',
    );
    const shelf = rows[0].n as number;
    await client.query(
      `INSERT INTO orders (id, cart_id, channel_id, email, status, currency, subtotal, discount_total,
         shipping_total, tax_total, total, authorised_amount, captured_amount, access_token_hash, placed_at)
       SELECT 'order_bench' || lpad(g::text, 9, '0'), 'cart_bench' || g, $1, 'bench@example.com', 'paid', 'EUR',
         1000, 0, 0, 0, 1000, 1000, 1000, 'bench', now() - random() * interval '60 days'
       FROM generate_series(1, $2::int) g`,
      [rows[0].channel, orders],
    );
    await client.query(
      `INSERT INTO order_lines (id, order_id, position, variant_id, product_id, sku, product_title, variant_title,
         unit_price, quantity, subtotal, discount, tax, tax_rate_bps, total)
       SELECT 'oline_bench' || b.g || '_' || pick.j, 'order_bench' || lpad(b.g::text, 9, '0'), pick.j, s.variant_id,
         s.product_id, 'BENCH', 'Bench product', 'Default', 1000, 1, 1000, 0, 0, 0, 1000
       FROM (SELECT g, floor(power(random(), 3) * $1::int)::int AS anchor, 1 + floor(random() * 4)::int AS k
             FROM generate_series(1, $2::int) g) b
       CROSS JOIN LATERAL (
         SELECT j, (b.anchor + CASE WHEN j = 0 THEN 0 ELSE 1 + floor(power(random(), 2) * 60)::int END) % $1::int AS n
         FROM generate_series(0, b.k - 1) j
       ) pick
       JOIN bench_shelf s ON s.n = pick.n`,
      [shelf, orders],
    );
    await client.query('COMMIT');
    await client.query('ANALYZE');
    return (performance.now() - started) / 1000;
  } finally {
    await client.end();
  }
}

/**
 * `CREATE DATABASE <fresh> TEMPLATE <template>`: PostgreSQL refuses while anyone else is
 * connected to the template (another engineer may still be using it), so retry for a while.
 */
async function cloneTemplate(database: BenchDatabase, template: string): Promise<void> {
  const url = new URL(database.env.DATABASE_URL as string);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE ${name}`); // the empty one createBenchDatabase made
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        return;
      } catch (error) {
        // 55006 object_in_use: the template has other sessions right now.
        if ((error as { code?: string }).code !== '55006' || attempt === 60) throw error;
        await new Promise((resolve) => setTimeout(resolve, 5_000));
      }
    }
  } finally {
    await admin.end();
  }
}

async function main() {
  const database = args.existing
    ? existingBenchDatabase(process.env.DATABASE_URL, undefined)
    : await createBenchDatabase(process.env.DATABASE_URL);
  if (database.kind === 'postgres' && !database.env.DATABASE_URL)
    database.env.DATABASE_URL = process.env.DATABASE_URL as string;
  let server: ServerProcess | null = null;
  let revokeKey: () => Promise<void> = async () => {};
  let rebuildSeconds: number | null = null;
  try {
    console.log(
      `Recommendation benchmark: ${database.label}, ${args.existing ? 'existing data' : args.template ? `clone of ${args.template}, ${orders} orders` : `${products} products, ${orders} orders`}, ${cpus().length} CPU(s), load ${loadavg()[0].toFixed(1)}`,
    );
    if (!args.existing) {
      const seeded = performance.now();
      if (args.template) await cloneTemplate(database, args.template);
      else
        await runMerx(['seed', '--products', String(products), '--no-stock'], database.env, 3 * 60 * 60_000);
      console.log(
        `${args.template ? 'Cloned' : 'Seeded'} in ${((performance.now() - seeded) / 1000).toFixed(1)} s`,
      );
      console.log(`Loaded ${orders} orders in ${(await loadOrders(database)).toFixed(1)} s`);
      const rebuilt = performance.now();
      await runMerx(['recs', 'rebuild'], database.env, 60 * 60_000);
      rebuildSeconds = (performance.now() - rebuilt) / 1000;
      console.log(`merx recs rebuild took ${rebuildSeconds.toFixed(1)} s (process start included)`);
    }
    // A key of its own (revoked afterwards), so a cloned or kept database works too.
    const created = await runMerx(
      ['keys', 'create-secret', '--scopes', '*', '--name', 'recommendation bench'],
      database.env,
      120_000,
    );
    const [, keyId, secretKey] = /^(key_\w+)\s.*(sk_\S+)$/m.exec(created) ?? [];
    if (!keyId || !secretKey) throw new Error('could not create a secret key for the benchmark');
    revokeKey = () => runMerx(['keys', 'revoke', keyId], database.env, 120_000).then(() => {});

    server = await startServerProcess(database.env, { readyTimeoutMs: 120_000 });
    const base = server.baseUrl;
    const call = async (method: string, path: string, key: string, body?: unknown, headers = {}) => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${await response.text()}`);
      return response.json();
    };
    const channels = await call('GET', '/admin/v1/channels', secretKey);
    const web = channels.data.find((c: { metadata: { demo?: string } }) => c.metadata.demo === 'web');
    const key = (await call('GET', '/admin/v1/keys', secretKey)).data.find(
      (k: { channel_id: string | null }) => k.channel_id === web.id,
    ).token;

    // Products with history (the head of the skew) and without, as a product page would ask.
    const trending = (await call('GET', '/store/v1/recommendations?intent=trending&limit=20', key)).data;
    const listed = (await call('GET', '/store/v1/products?limit=100', key)).data as Array<{
      id: string;
      variants: Array<{ id: string }>;
    }>;
    const hot = trending.map((item: { product_id: string }) => item.product_id);
    const anyProduct = listed.map((p) => p.id);
    // A fixed sample of the whole assortment: product pages deep in the catalog, where no
    // per-node memo has seen the product or its neighbours yet.
    const sampler = new pg.Client({ connectionString: database.env.DATABASE_URL });
    await sampler.connect();
    const longTail = (
      await sampler.query(
        'SELECT product_id FROM product_channels WHERE channel_id = $1 ORDER BY md5(product_id) LIMIT 1000',
        [web.id],
      )
    ).rows.map((row: { product_id: string }) => row.product_id);
    await sampler.end();
    const carts: string[] = [];
    for (let i = 0; i < 30; i++) {
      const lines = [pick(listed), pick(listed)]
        .filter((p, at, all) => all.findIndex((q) => q.id === p.id) === at)
        .map((p) => ({ variant_id: p.variants[0].id, quantity: 1 }));
      carts.push((await call('POST', '/store/v1/carts', key, { lines })).id);
    }
    const visitors: string[] = [];
    for (let i = 0; i < 20; i++) {
      const visitor = `bench-visitor-${randomBytes(8).toString('hex')}`;
      const events = Array.from({ length: 10 }, () => ({
        type: 'product_view',
        product_id: pick(anyProduct),
      }));
      await call('POST', '/store/v1/events', key, { visitor_id: visitor, consent: true, events });
      visitors.push(visitor);
    }

    const kinds: Record<string, () => [string, Record<string, string>]> = {
      'related (bought product)': () => [`product=${pick(hot)}&intent=related`, {}],
      'related (any product)': () => [`product=${pick(anyProduct)}&intent=related`, {}],
      'related (long tail)': () => [`product=${pick(longTail)}&intent=related`, {}],
      complementary: () => [`product=${pick(hot)}&intent=complementary`, {}],
      cart: () => [`cart=${pick(carts)}`, {}],
      trending: () => ['intent=trending', {}],
      'for_you (visitor)': () => ['intent=for_you', { 'x-visitor-id': pick(visitors) }],
      recently_viewed: () => ['intent=recently_viewed', { 'x-visitor-id': pick(visitors) }],
      // The same HTTP path doing no work: what the machine's load adds to every request.
      'floor: GET /store/v1/channel': () => ['', {}],
    };
    const names = Object.keys(kinds);
    const path = (query: string) =>
      query ? `/store/v1/recommendations?${query}&limit=10` : '/store/v1/channel';
    for (let i = 0; i < 50; i++) {
      const [query, headers] = kinds[names[i % names.length]]();
      await call('GET', path(query), key, undefined, headers); // warm-up
    }
    const timings: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
    const load = loadavg()[0];
    const meter = cpuMeter(server.child.pid as number, database.name);
    meter.start();
    for (let i = 0; i < requests; i++) {
      const kind = names[i % names.length];
      const [query, headers] = kinds[kind]();
      const started = performance.now();
      await call('GET', path(query), key, undefined, headers);
      timings[kind].push(performance.now() - started);
    }
    const cpu = meter.stop();
    const cpuPerRequest = { serverMs: cpu.serverMs / requests, databaseMs: cpu.databaseMs / requests };
    const summary = (kind: string, values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return {
        kind,
        n: sorted.length,
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        p99: percentile(sorted, 99),
      };
    };
    const rows = Object.entries(timings).map(([kind, values]) => summary(kind, values));
    rows.push(
      summary(
        'all recommendations',
        Object.entries(timings)
          .filter(([kind]) => !kind.startsWith('floor'))
          .flatMap(([, values]) => values),
      ),
    );
    console.log(`\nLoad average during the measurement: ${load.toFixed(1)} → ${loadavg()[0].toFixed(1)}`);
    console.log(
      `CPU per request (all kinds, floor included): ${(cpuPerRequest.serverMs + cpuPerRequest.databaseMs).toFixed(2)} ms = server ${cpuPerRequest.serverMs.toFixed(2)} + PostgreSQL ${cpuPerRequest.databaseMs.toFixed(2)}`,
    );
    console.log('\n| intent | n | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|---:|');
    for (const row of rows)
      console.log(
        `| ${row.kind} | ${row.n} | ${row.p50.toFixed(1)} | ${row.p95.toFixed(1)} | ${row.p99.toFixed(1)} |`,
      );
    if (args.json)
      writeFileSync(
        args.json,
        JSON.stringify(
          {
            database: database.kind,
            template: args.template ?? null,
            products: args.template || args.existing ? null : products,
            orders: args.existing ? null : orders,
            rebuildSeconds,
            loadAverage: load,
            cpuPerRequest,
            rows,
          },
          null,
          2,
        ),
      );
  } finally {
    await server?.stop();
    await revokeKey().catch(() => {});
    if (args.keep) console.log(`Kept the database: ${database.label}`);
    else await database.drop();
  }
}

await main();
