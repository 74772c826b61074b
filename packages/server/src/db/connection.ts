import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { MerxConfig } from '../config.js';
import type { Database, Db } from './database.js';
import { prepareStatements } from './prepared.js';

// int8 (money, counts) as JS numbers: every amount Merx stores is a safe integer,
// checked on the way in, so this never rounds.
pg.types.setTypeParser(20, (value) => {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new RangeError(`int8 ${value} exceeds the safe integer range`);
  return parsed;
});

export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Db;
  kind: DatabaseKind;
  pool: pg.Pool;
  /** Present only for the embedded database. */
  pglite: PGlite | null;
  /** A connection string usable by a dedicated LISTEN client (PostgreSQL only). */
  connectionString: string | null;
  schema: string | null;
  close(): Promise<void>;
}

export async function openDatabase(
  config: Pick<MerxConfig, 'databaseUrl' | 'dataDir' | 'databaseSchema' | 'poolSize'>,
): Promise<DatabaseHandle> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl, config.databaseSchema, config.poolSize);
  return openPglite(config.dataDir);
}

async function openPostgres(url: string, schema: string | null, poolSize: number): Promise<DatabaseHandle> {
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await admin.end();
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    options: schema ? `-c search_path="${schema}",public` : undefined,
  });
  pool.on('connect', (client) => prepareStatements(client));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgres',
    pool,
    pglite: null,
    connectionString: url,
    schema,
    async close() {
      await db.destroy();
    },
  };
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  // Loaded on demand: the WASM build costs ~50 MB of RSS that a PostgreSQL node never needs.
  const [{ PGlite }, { pg_trgm }, { createPgConfig }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('@electric-sql/pglite/node-postgres'),
  ]);
  const pglite = await PGlite.create({ dataDir, extensions: { pg_trgm } });
  // PGlite is a single connection: a pool of one serialises queries exactly as PGlite would.
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'pglite',
    pool,
    pglite,
    connectionString: null,
    schema: null,
    async close() {
      await db.destroy();
      await pglite.close();
    },
  };
}
