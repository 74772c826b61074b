import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Environment for the server and seed processes, and how to clean up afterwards. */
export interface BenchDatabase {
  kind: 'pglite' | 'postgres';
  /** PostgreSQL database name (to find its backends' CPU time); null on PGlite. */
  name: string | null;
  env: Record<string, string>;
  label: string;
  drop(): Promise<void>;
}

/**
 * Refreshes the planner's statistics, as autovacuum does on a running shop (this machine's
 * PostgreSQL runs with autovacuum off). Without it, the plans each connection caches for its
 * prepared statements keep the shape chosen while carts, orders and reservations were empty:
 * sequential scans that grow with every order for the rest of the run.
 */
export async function analyzeBenchDatabase(database: BenchDatabase): Promise<void> {
  const url =
    database.env.DATABASE_URL ?? (database.kind === 'postgres' ? process.env.DATABASE_URL : undefined);
  if (!url) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function assertLoopback(databaseUrl: string): void {
  const host = new URL(databaseUrl).hostname;
  if (!LOOPBACK.has(host)) throw new Error(`refusing to benchmark against ${host}: loopback only`);
}

/**
 * `--existing`: the database DATABASE_URL (or MERX_DATA_DIR) names, already seeded, used
 * as it is and left in place. For repeated runs against one large catalog.
 */
export function existingBenchDatabase(
  databaseUrl: string | undefined,
  dataDir: string | undefined,
): BenchDatabase {
  if (databaseUrl) {
    assertLoopback(databaseUrl);
    const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
    return {
      kind: 'postgres',
      name,
      env: {},
      label: `PostgreSQL (existing ${name})`,
      drop: async () => {},
    };
  }
  if (!dataDir) throw new Error('--existing needs DATABASE_URL or MERX_DATA_DIR');
  return { kind: 'pglite', name: null, env: {}, label: `PGlite (existing ${dataDir})`, drop: async () => {} };
}

/**
 * PGlite: a fresh on-disk data directory in the OS temp dir. PostgreSQL: a fresh database
 * `merx_bench_<timestamp>` next to the one DATABASE_URL names, dropped afterwards, so a
 * benchmark never touches existing data. Only loopback servers: a benchmark must not
 * load anybody else's machine.
 */
export async function createBenchDatabase(databaseUrl: string | undefined): Promise<BenchDatabase> {
  if (databaseUrl) assertLoopback(databaseUrl);
  if (!databaseUrl) {
    const dataDir = mkdtempSync(join(tmpdir(), 'merx-bench-'));
    return {
      kind: 'pglite',
      name: null,
      env: { MERX_DATA_DIR: dataDir },
      label: `PGlite (${dataDir})`,
      async drop() {
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const url = new URL(databaseUrl);
  if (!LOOPBACK.has(url.hostname))
    throw new Error(`refusing to benchmark against ${url.hostname}: loopback only`);
  const name = `merx_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const benchUrl = new URL(databaseUrl);
  benchUrl.pathname = `/${name}`;
  return {
    kind: 'postgres',
    name,
    env: { DATABASE_URL: benchUrl.toString() },
    label: `PostgreSQL (${url.host}/${name})`,
    async drop() {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
