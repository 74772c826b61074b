import type { Db, Tx } from './database.js';

/**
 * The one way modules open a transaction. Inside `work`, use only `tx`: touching the
 * outer handle hangs on PGlite (one connection) and escapes the transaction on PostgreSQL.
 * A `tx` passed in is reused, so service functions compose into one outer transaction.
 */
export async function inTransaction<T>(db: Db | Tx, work: (tx: Tx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db as Tx);
  return db.transaction().execute(work);
}
