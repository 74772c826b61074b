import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';

export interface ReindexProgress {
  done: number;
  total: number;
}

export interface ReindexReport {
  products: number;
  /** Documents of products that no longer exist, removed. */
  orphansRemoved: number;
  seconds: number;
}

/**
 * Rebuilds every search document from the catalog, `batchSize` products per transaction (the
 * same `search_refresh` the triggers call), then drops documents whose product is gone. The
 * triggers keep the index in sync on their own; this is for after a restore, a bulk load with
 * triggers disabled, or a change to how documents are built. Shoppers keep searching meanwhile:
 * each batch swaps its documents atomically.
 */
export async function reindexSearch(
  db: Db,
  onProgress: (progress: ReindexProgress) => void = () => {},
  batchSize = 1000,
): Promise<ReindexReport> {
  const started = performance.now();
  const counted = await db
    .selectFrom('products')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const total = Number(counted.n);
  let done = 0;
  let after = '';
  onProgress({ done, total });
  for (;;) {
    const batch = await db
      .selectFrom('products')
      .select('id')
      .where('id', '>', after)
      .orderBy('id')
      .limit(batchSize)
      .execute();
    if (batch.length === 0) break;
    const ids = batch.map((row) => row.id);
    await inTransaction(db, (tx) => sql`SELECT search_refresh(${ids}::text[])`.execute(tx));
    done += ids.length;
    after = ids[ids.length - 1] as string;
    onProgress({ done, total: Math.max(total, done) });
  }
  const orphans = await sql`
    DELETE FROM search_documents d
    WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.id = d.product_id)`.execute(db);
  return {
    products: done,
    orphansRemoved: Number(orphans.numAffectedRows ?? 0n),
    seconds: (performance.now() - started) / 1000,
  };
}
