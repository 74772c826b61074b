import type { Promotion as EnginePromotion, PromotionTarget } from './engine.js';
import type { PromotionCreateBody } from './schema.js';
import type { PromotionRow } from './tables.js';

type ApiTarget = NonNullable<PromotionCreateBody['target']>;

export function targetFromApi(target: ApiTarget): PromotionTarget {
  switch (target.type) {
    case 'order':
      return { type: 'order' };
    case 'products':
      return { type: 'products', productIds: target.product_ids };
    case 'categories':
      return { type: 'categories', categoryIds: target.category_ids };
    case 'collections':
      return { type: 'collections', collectionIds: target.collection_ids };
  }
}

export function targetToApi(target: PromotionTarget): ApiTarget {
  switch (target.type) {
    case 'order':
      return { type: 'order' };
    case 'products':
      return { type: 'products', product_ids: [...target.productIds] };
    case 'categories':
      return { type: 'categories', category_ids: [...target.categoryIds] };
    case 'collections':
      return { type: 'collections', collection_ids: [...target.collectionIds] };
  }
}

/** A stored promotion as the pure engine sees it. */
/** Row fields the engine reads; drafts (not yet stored) have them too. */
export type PromotionDefinition = Omit<PromotionRow, 'times_used' | 'version' | 'created_at' | 'updated_at'>;

export function toEnginePromotion(row: PromotionDefinition): EnginePromotion {
  return {
    id: row.id,
    code: row.code,
    kind: row.kind,
    value: row.value,
    target: row.target,
    buyXGetY: row.buy_x_get_y,
    conditions: {
      minSubtotal: row.min_subtotal,
      customerGroupIds: row.customer_group_ids,
      segmentIds: row.segment_ids,
      channelIds: row.channel_ids,
      startsAt: row.starts_at?.toISOString() ?? null,
      endsAt: row.ends_at?.toISOString() ?? null,
      currency: row.currency?.trim() ?? null,
    },
    priority: row.priority,
    combinable: row.combinable,
  };
}

export function presentPromotion(row: PromotionRow) {
  const buyXGetY = row.buy_x_get_y;
  return {
    id: row.id,
    name: row.name,
    code: row.code,
    kind: row.kind,
    value: row.value,
    target: targetToApi(row.target),
    buy_x_get_y: buyXGetY
      ? {
          buy_quantity: buyXGetY.buyQuantity,
          get_quantity: buyXGetY.getQuantity,
          get_discount_bps: buyXGetY.getDiscountBps,
        }
      : null,
    conditions: {
      min_subtotal: row.min_subtotal,
      customer_group_ids: row.customer_group_ids,
      segment_ids: row.segment_ids,
      channel_ids: row.channel_ids,
      starts_at: row.starts_at?.toISOString() ?? null,
      ends_at: row.ends_at?.toISOString() ?? null,
      currency: row.currency?.trim() ?? null,
    },
    priority: row.priority,
    combinable: row.combinable,
    active: row.active,
    usage_limit: row.usage_limit,
    usage_limit_per_customer: row.usage_limit_per_customer,
    metadata: row.metadata,
    times_used: row.times_used,
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
