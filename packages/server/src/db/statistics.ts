import { sql } from 'kysely';
import type { DatabaseHandle } from './connection.js';

/**
 * Each PostgreSQL connection keeps the plans of its prepared statements (prepared.ts) until the
 * statistics of their tables change. With autovacuum off nothing refreshes them: a plan made
 * while a table was nearly empty (a sequential scan) stays for the connection's life and costs
 * more with every row. Said at start-up, so the operator turns it on or runs ANALYZE regularly.
 */
export async function staleStatisticsWarning(database: DatabaseHandle): Promise<string | null> {
  if (database.kind !== 'postgres') return null;
  const { rows } = await sql<{ autovacuum: string }>`SHOW autovacuum`.execute(database.db);
  if (rows[0]?.autovacuum !== 'off') return null;
  return 'PostgreSQL runs with autovacuum off: table statistics, and the query plans cached with them, go stale as the shop grows. Turn autovacuum on, or run ANALYZE after imports and at least daily.';
}
