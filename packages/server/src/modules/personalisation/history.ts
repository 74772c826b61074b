import type { Executor } from '../../db/database.js';
import type { Interaction, InteractionKind } from './algorithms/index.js';
import { HISTORY_LIMIT, SETTINGS } from './settings.js';
import type { InteractionKind as StoredKind } from './tables.js';

export interface ShopperRef {
  channelId: string;
  customerId: string | null;
  /** Anonymous visitor (`X-Visitor-Id`); its history exists only if it consented. */
  visitorId: string | null;
}

const ALGORITHM_KIND: Partial<Record<StoredKind, InteractionKind>> = {
  product_view: 'view',
  add_to_cart: 'cart',
  purchase: 'purchase',
};

/**
 * The shopper's recent product interactions, newest first, as the recommenders read them:
 * a signed-in customer's own (stitched visitor history included), else the visitor's.
 */
export async function shopperHistory(db: Executor, shopper: ShopperRef): Promise<Interaction[]> {
  if (!shopper.customerId && !shopper.visitorId) return [];
  const since = new Date(Date.now() - 8 * SETTINGS.forYou.halfLifeMs);
  let query = db
    .selectFrom('interactions')
    .select(['product_id', 'kind', 'occurred_at'])
    .where('kind', 'in', ['product_view', 'add_to_cart', 'purchase'])
    .where('occurred_at', '>=', since)
    .orderBy('occurred_at', 'desc')
    .limit(HISTORY_LIMIT);
  query = shopper.customerId
    ? query.where('customer_id', '=', shopper.customerId)
    : query.where('visitor_id', '=', shopper.visitorId);
  const rows = await query.execute();
  return rows.map((row) => ({
    productId: row.product_id!,
    kind: ALGORITHM_KIND[row.kind]!,
    at: row.occurred_at.getTime(),
  }));
}
