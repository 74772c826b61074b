import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { decodeCursor, type PageResult, toPage } from '../../http/pagination.js';
import { invalid } from '../../http/problem.js';
import { getChannel } from '../channels/service.js';
import { emitEvent } from '../events/outbox.js';
import { unknownReferenceErrors } from './references.js';

export interface AssortmentChange {
  add?: string[];
  remove?: string[];
}

/** Adds and removes products in a channel's assortment; returns how many rows changed. */
export async function changeAssortment(
  db: Executor,
  channelId: string,
  change: AssortmentChange,
): Promise<{ added: number; removed: number }> {
  await getChannel(db, channelId);
  const add = change.add ?? [];
  const remove = change.remove ?? [];
  const both = add.filter((id) => remove.includes(id));
  const errors = [
    ...both.map((id) => ({ field: '/body/remove', message: `${id} is also in add` })),
    ...(await unknownReferenceErrors(db, 'products', add, '/body/add')),
  ];
  if (errors.length > 0) throw invalid('The assortment change is not valid', errors);
  return inTransaction(db, async (tx) => {
    const added = add.length
      ? await sql<{ product_id: string }>`INSERT INTO product_channels (channel_id, product_id)
          SELECT ${channelId}, unnest(${add}::text[]) ON CONFLICT DO NOTHING RETURNING product_id`.execute(tx)
      : { rows: [] };
    const removed = remove.length
      ? await tx
          .deleteFrom('product_channels')
          .where('channel_id', '=', channelId)
          .where('product_id', 'in', remove)
          .returning('product_id')
          .execute()
      : [];
    const changed = [
      ...added.rows.map((row) => ({ id: row.product_id, in_channel: true })),
      ...removed.map((row) => ({ id: row.product_id, in_channel: false })),
    ];
    for (const product of changed)
      await emitEvent(tx, {
        type: 'product.updated',
        resourceType: 'product',
        resourceId: product.id,
        channelId,
        data: { id: product.id, channel_id: channelId, in_channel: product.in_channel },
      });
    return { added: added.rows.length, removed: removed.length };
  });
}

/** IDs of every product in a channel's assortment (any status), in ID order. */
export async function listChannelProductIds(
  db: Executor,
  channelId: string,
  page: { limit: number; cursor?: string },
): Promise<PageResult<string>> {
  await getChannel(db, channelId);
  const after = decodeCursor(page.cursor, 1);
  let query = db
    .selectFrom('product_channels')
    .select('product_id')
    .where('channel_id', '=', channelId)
    .orderBy('product_id')
    .limit(page.limit + 1);
  if (after) query = query.where('product_id', '>', String(after[0]));
  const ids = (await query.execute()).map((row) => row.product_id);
  return toPage(ids, page.limit, (id) => [id]);
}

/** IDs of the published products a channel sells (for search indexing, feeds, recommendations). */
export async function listSellableProductIds(db: Executor, channelId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('product_channels')
    .innerJoin('products', 'products.id', 'product_channels.product_id')
    .select('products.id')
    .where('product_channels.channel_id', '=', channelId)
    .where('products.status', '=', 'published')
    .orderBy('products.id')
    .execute();
  return rows.map((row) => row.id);
}
