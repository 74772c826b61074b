import type { Generated, Selectable } from 'kysely';
import type { BuyXGetY, PromotionKind, PromotionTarget } from './engine.js';

export interface PromotionsTable {
  id: string;
  name: string;
  code: string | null;
  kind: PromotionKind;
  value: number;
  target: PromotionTarget;
  buy_x_get_y: BuyXGetY | null;
  min_subtotal: number | null;
  customer_group_ids: string[];
  segment_ids: string[];
  channel_ids: string[];
  starts_at: Date | null;
  ends_at: Date | null;
  currency: string | null;
  priority: number;
  combinable: boolean;
  active: boolean;
  usage_limit: number | null;
  usage_limit_per_customer: number | null;
  times_used: Generated<number>;
  metadata: Record<string, unknown>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface PromotionRedemptionsTable {
  id: string;
  promotion_id: string;
  order_id: string;
  customer_id: string | null;
  customer_email: string | null;
  created_at: Generated<Date>;
}

export type PromotionRow = Selectable<PromotionsTable>;

declare module '../../db/database.js' {
  interface Database {
    promotions: PromotionsTable;
    promotion_redemptions: PromotionRedemptionsTable;
  }
}
