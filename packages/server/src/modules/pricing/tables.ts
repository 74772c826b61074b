import type { Generated, Selectable } from 'kysely';

export interface PricesTable {
  id: string;
  variant_id: string;
  currency: string;
  amount: number;
  channel_id: string | null;
  customer_group_id: string | null;
  segment_id: string | null;
  min_quantity: Generated<number>;
  starts_at: Date | null;
  ends_at: Date | null;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type PriceRow = Selectable<PricesTable>;

declare module '../../db/database.js' {
  interface Database {
    prices: PricesTable;
  }
}
