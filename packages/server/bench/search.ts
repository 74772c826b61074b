/**
 * Search latency: npx tsx bench/search.ts [--products 10000] [--requests 400] [--stock] [--existing] [--json out.json]
 *
 * Seeds a fresh database with the demo catalog (PGlite in a temp dir, or a new
 * `merx_bench_<ts>` database on the loopback PostgreSQL named by DATABASE_URL, dropped
 * afterwards), starts the server as a child process, then sends search requests one at a
 * time over HTTP (keep-alive) and prints p50 / p95 / p99 per kind of query, with the CPU time
 * per request (server + PostgreSQL backends) and the load average. Every request asks for the
 * first page of 20 with all facets, as a head's search page would.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { cpuMeter } from './lib/cpu.js';
import { createBenchDatabase } from './lib/database.js';
import { runMerx, type ServerProcess, startServerProcess } from './lib/server-process.js';

const { values: args } = parseArgs({
  options: {
    products: { type: 'string', default: '10000' },
    requests: { type: 'string', default: '400' },
    json: { type: 'string' },
    stock: { type: 'boolean', default: false },
    // Benchmark the database DATABASE_URL names as it is: no seed, nothing dropped.
    existing: { type: 'boolean', default: false },
  },
});
const products = Number(args.products);
const requests = Number(args.requests);
if (!Number.isSafeInteger(products) || products < 1 || !Number.isSafeInteger(requests) || requests < 1)
  throw new Error('--products and --requests must be positive integers');

/** Deterministic choices, so two runs send the same queries. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}
const next = random(42);
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;

/** Swap two adjacent letters in the middle: the commonest typing slip. */
const typo = (word: string) => {
  const at = 1 + Math.floor(next() * (word.length - 2));
  return word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
};

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

async function seed(env: Record<string, string>) {
  const seeded = Date.now();
  // Stock levels are written one variant at a time by the inventory module: minutes per 10k
  // products. Without them every variant is untracked (in stock), which search handles alike.
  const seedArgs = ['seed', '--products', String(products), ...(args.stock ? [] : ['--no-stock'])];
  await runMerx(seedArgs, env, 3 * 60 * 60_000);
  console.log(`Seeded in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);
}

type Get = (path: string, key: string) => Promise<any>;

/** The demo web channel's publishable key, through the admin API (fresh database). */
async function webKey(get: Get, secretKey: string): Promise<string> {
  const channels = await get('/admin/v1/channels', secretKey);
  const web = channels.data.find((c: { metadata: { demo?: string } }) => c.metadata.demo === 'web');
  const keys = await get('/admin/v1/keys', secretKey);
  return keys.data.find((k: { channel_id: string | null }) => k.channel_id === web.id).token;
}

/**
 * The same from the database itself (an existing database's admin key is not ours to know),
 * with the size of the catalog it holds.
 */
async function webKeyFromDatabase(url: string): Promise<{ key: string; products: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result =
      await client.query(`SELECT k.publishable_token FROM api_keys k JOIN channels c ON c.id = k.channel_id
      WHERE c.metadata->>'demo' = 'web' AND k.revoked_at IS NULL LIMIT 1`);
    const count = await client.query('SELECT count(*)::int AS n FROM products');
    return { key: result.rows[0].publishable_token, products: count.rows[0].n };
  } finally {
    await client.end();
  }
}

const load = () => loadavg()[0].toFixed(1);

async function main() {
  const existingUrl = process.env.DATABASE_URL;
  if (args.existing && !existingUrl) throw new Error('--existing needs DATABASE_URL');
  const database =
    args.existing && existingUrl
      ? {
          kind: 'postgres',
          name: decodeURIComponent(new URL(existingUrl).pathname.slice(1)),
          label: `PostgreSQL (existing ${new URL(existingUrl).pathname.slice(1)})`,
          env: { DATABASE_URL: existingUrl },
          drop: async () => {},
        }
      : await createBenchDatabase(existingUrl);
  const secretKey = `sk_bench_${randomBytes(18).toString('base64url')}`;
  let server: ServerProcess | null = null;
  try {
    console.log(
      `Search benchmark: ${database.label}${args.existing ? '' : `, ${products} products`}, ${cpus().length} CPU(s), load average ${load()}`,
    );
    if (!args.existing) await seed(database.env);
    server = await startServerProcess(
      { ...database.env, MERX_SECRET_KEY: secretKey },
      { readyTimeoutMs: 120_000 },
    );
    const base = server.baseUrl;
    const get = async (path: string, key: string) => {
      const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${key}` } });
      if (!response.ok) throw new Error(`GET ${path} → ${response.status}: ${await response.text()}`);
      return response.json();
    };
    let key: string;
    if (args.existing && existingUrl) {
      const found = await webKeyFromDatabase(existingUrl);
      key = found.key;
      console.log(`Existing catalog: ${found.products} products`);
    } else key = await webKey(get, secretKey);

    // Query words a shopper would type, taken from what the channel sells.
    const titles: string[] = (await get('/store/v1/products?limit=100', key)).data.map(
      (p: { title: string }) => p.title,
    );
    const words = [...new Set(titles.flatMap((t) => t.toLowerCase().split(/[^a-z]+/)))].filter(
      (w) => w.length >= 5,
    );
    const categories: string[] = [];
    const walk = (nodes: Array<{ id: string; children?: unknown[] }>) => {
      for (const node of nodes) {
        categories.push(node.id);
        walk((node.children ?? []) as typeof nodes);
      }
    };
    walk((await get('/store/v1/categories', key)).data);
    const kinds: Record<string, () => string> = {
      word: () => `q=${pick(words)}`,
      'two words': () => `q=${pick(words)}+${pick(words)}`,
      typo: () => `q=${typo(pick(words))}`,
      prefix: () => `q=${pick(words).slice(0, 4)}`,
      'word + filters': () => `q=${pick(words)}&category=${pick(categories)}&in_stock=true&sort=price_asc`,
      suggest: () => `suggest?q=${pick(words).slice(0, 3)}`,
    };
    const path = (query: string) =>
      query.startsWith('suggest') ? `/store/v1/search/${query}` : `/store/v1/search?${query}&limit=20`;

    for (let i = 0; i < 30; i++) await get(path(kinds.word()), key); // warm-up
    // One kind at a time, so the CPU meter can attribute server and database time to it.
    const meter = cpuMeter(server.child.pid as number, database.name ?? null);
    const names = Object.keys(kinds);
    const perKind = Math.ceil(requests / names.length);
    const timings: Record<string, number[]> = {};
    const cpu: Record<string, { serverMs: number; databaseMs: number }> = {};
    for (const kind of names) {
      timings[kind] = [];
      meter.start();
      for (let i = 0; i < perKind; i++) {
        const target = path(kinds[kind]());
        const started = performance.now();
        await get(target, key);
        timings[kind].push(performance.now() - started);
      }
      const used = meter.stop();
      cpu[kind] = { serverMs: used.serverMs / perKind, databaseMs: used.databaseMs / perKind };
    }

    const rows = Object.entries(timings).map(([kind, values]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return {
        kind,
        n: sorted.length,
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        p99: percentile(sorted, 99),
        cpu: cpu[kind] as { serverMs: number; databaseMs: number } | undefined,
      };
    });
    const searchOnly = Object.entries(timings)
      .filter(([kind]) => kind !== 'suggest')
      .flatMap(([, values]) => values)
      .sort((a, b) => a - b);
    rows.push({
      kind: 'all searches',
      n: searchOnly.length,
      p50: percentile(searchOnly, 50),
      p95: percentile(searchOnly, 95),
      p99: percentile(searchOnly, 99),
      cpu: undefined,
    });
    console.log(
      '\n| query | n | p50 ms | p95 ms | p99 ms | CPU ms/req (server + db) |\n|---|---:|---:|---:|---:|---:|',
    );
    for (const row of rows) {
      const used = row.cpu
        ? `${(row.cpu.serverMs + row.cpu.databaseMs).toFixed(1)} (${row.cpu.serverMs.toFixed(1)} + ${row.cpu.databaseMs.toFixed(1)})`
        : '';
      console.log(
        `| ${row.kind} | ${row.n} | ${row.p50.toFixed(1)} | ${row.p95.toFixed(1)} | ${row.p99.toFixed(1)} | ${used} |`,
      );
    }
    console.log(`Load average at the end: ${load()}`);
    if (args.json)
      writeFileSync(args.json, JSON.stringify({ database: database.kind, products, rows }, null, 2));
  } finally {
    await server?.stop();
    await database.drop();
  }
}

await main();
