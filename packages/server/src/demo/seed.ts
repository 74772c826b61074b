import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { importProducts } from '../modules/catalog/import.js';
import type { LineError } from '../modules/catalog/import-format.js';
import { channelIds, type DemoChannel, ensureDemoChannels } from './channels.js';
import { DEFAULT_SEED, generateProducts, type ProductRecord } from './generate.js';
import { seedDemoStock } from './stock.js';
import { ensureDemoCategories, ensureDemoCollections } from './taxonomy.js';

/** Size of the demo catalog `merx start` seeds on first run. */
export const DEMO_PRODUCTS = 1_200;
/** Generated records handed to one importProducts call: bounds memory for 100k-product seeds. */
const CHUNK = 2_000;
/**
 * Products whose variants get stock levels; the others are untracked (always available).
 * A cap because the inventory module sets levels one variant at a time (~11 statements
 * each, plus a search-index refresh): 2,089 levels took 95 s on a busy PostgreSQL, so
 * stocking every variant of the demo would take minutes. The showcase products come first.
 */
export const DEMO_STOCKED_PRODUCTS = 120;

export interface SeedOptions {
  print?: (line: string) => void;
  /** How many products to generate (default DEMO_PRODUCTS). */
  products?: number;
  seed?: number;
  /** Products per import transaction (importProducts' batch size). */
  batchSize?: number;
  /** Set stock levels (default true) for the variants of the first DEMO_STOCKED_PRODUCTS products. */
  stock?: boolean;
  /** Products imported so far. */
  onProgress?: (done: number, total: number) => void;
}

export interface SeedResult {
  channels: DemoChannel[];
  created: number;
  updated: number;
  failed: number;
  errors: LineError[];
  stockLevels: number;
  /** Time spent importing products (the bulk part), and in total. */
  importSeconds: number;
  seconds: number;
}

/**
 * The demo catalog: three channels with publishable keys, a category tree, collections,
 * `products` generated products and a stock level per variant. Safe to run again: channels,
 * categories and collections are found by their markers and handles, products are upserted
 * by handle (the same seed regenerates the same records).
 */
export async function seedDemoCatalog(db: Db, options: SeedOptions = {}): Promise<SeedResult> {
  const started = Date.now();
  const total = options.products ?? DEMO_PRODUCTS;
  const channels = await ensureDemoChannels(db);
  await ensureDemoCategories(db);
  await ensureDemoCollections(db);

  const result = { created: 0, updated: 0, failed: 0, errors: [] as LineError[] };
  let stockLevels = 0;
  let importMs = 0;
  let chunk: ProductRecord[] = [];
  let done = 0;
  const flush = async () => {
    const offset = done;
    const importStarted = Date.now();
    const report = await importProducts(db, chunk, {
      batchSize: options.batchSize,
      // A seed creates the catalog wholesale; nobody subscribed yet needs 1,200 (or 100,000)
      // product.created events, and writing them is a fifth of the import time on PGlite.
      emitEvents: false,
      lines: chunk.map((_, index) => offset + index + 1),
      onProgress: (processed) => options.onProgress?.(offset + processed, total),
    });
    importMs += Date.now() - importStarted;
    result.created += report.created;
    result.updated += report.updated;
    result.failed += report.failed;
    result.errors.push(...report.errors);
    if (offset === 0 && options.stock !== false) {
      // Right after the first chunk: the stocked products are in it, and the catalog is still small.
      const stocked = new Set(
        chunk.slice(0, DEMO_STOCKED_PRODUCTS).flatMap((p) => p.variants.map((v) => v.sku)),
      );
      stockLevels = await seedDemoStock(
        db,
        channels.map((channel) => channel.id),
        stocked,
      );
    }
    done += chunk.length;
    chunk = [];
  };
  const records = generateProducts({
    products: total,
    channels: channelIds(channels),
    seed: options.seed ?? DEFAULT_SEED,
  });
  for (const record of records) {
    chunk.push(record);
    if (chunk.length >= CHUNK) await flush();
  }
  if (chunk.length > 0) await flush();
  const importSeconds = importMs / 1000;
  // Fresh planner statistics: without them PostgreSQL plans the store list as a hash join
  // over the whole assortment (50 ms instead of 1 ms at 10k products), and PGlite never
  // gathers them by itself (it runs no autovacuum). VACUUM as well: it marks the freshly
  // written pages all-visible and merges GIN pending lists, which took a quarter off the CPU
  // time of a search at 100k products; it took 4 s there.
  await sql`VACUUM ANALYZE`.execute(db);

  const seconds = (Date.now() - started) / 1000;
  options.print?.(
    `Demo catalog: ${result.created} products created, ${result.updated} updated, ${result.failed} failed, ${stockLevels} stock levels in ${seconds.toFixed(1)} s`,
  );
  return { channels, ...result, stockLevels, importSeconds, seconds };
}
