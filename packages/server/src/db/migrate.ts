import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Db } from './database.js';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
// Several API nodes may start at once against one PostgreSQL: one applies, the others wait.
const MIGRATION_LOCK_ID = 7_413_001;

export interface MigrationResult {
  applied: string[];
}

export function listMigrations(): Array<{ name: string; sql: string }> {
  return readdirSync(MIGRATIONS_DIR)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(MIGRATIONS_DIR, name), 'utf8') }));
}

export async function migrate(db: Db): Promise<MigrationResult> {
  return db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`.execute(tx);
    await sql`CREATE TABLE IF NOT EXISTS merx_migrations (
      name text PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`.execute(tx);
    const done = await sql<{ name: string }>`SELECT name FROM merx_migrations`.execute(tx);
    const doneNames = new Set(done.rows.map((row) => row.name));
    const applied: string[] = [];
    for (const migration of listMigrations()) {
      if (doneNames.has(migration.name)) continue;
      await sql.raw(migration.sql).execute(tx);
      await sql`INSERT INTO merx_migrations (name) VALUES (${migration.name})`.execute(tx);
      applied.push(migration.name);
    }
    return { applied };
  });
}
