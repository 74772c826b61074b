import type { Generated, Selectable } from 'kysely';

export type CartStatus = 'active' | 'completed' | 'merged';
export type MergePolicy = 'keep_guest' | 'keep_customer' | 'merge_lines';

export interface Address {
  first_name?: string | null;
  last_name?: string | null;
  company?: string | null;
  line1: string;
  line2?: string | null;
  city: string;
  postal_code?: string | null;
  /** Province or state code; selects a province tax override. */
  region?: string | null;
  country: string;
  phone?: string | null;
}

/** Product facts as the shopper last saw them (kept when the variant stops being sellable). */
export interface LineSnapshot {
  product_id: string;
  product_handle: string;
  product_title: string;
  variant_title: string;
  sku: string;
  option_values: Record<string, string>;
  image_url: string | null;
  weight_grams: number | null;
}

export interface CartsTable {
  id: string;
  channel_id: string;
  previous_channel_id: string | null;
  customer_id: string | null;
  currency: string;
  email: string | null;
  shipping_address: Address | null;
  billing_address: Address | null;
  shipping_option_id: string | null;
  promotion_codes: Generated<string[]>;
  status: Generated<CartStatus>;
  order_id: string | null;
  merged_into: string | null;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  completed_at: Date | null;
}

export interface CartLinesTable {
  id: string;
  cart_id: string;
  variant_id: string;
  quantity: number;
  unit_price: number | null;
  snapshot: LineSnapshot | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CartChannelSettingsTable {
  channel_id: string;
  merge_policy: MergePolicy;
  version: Generated<number>;
  updated_at: Generated<Date>;
}

export type CartRow = Selectable<CartsTable>;
export type CartLineRow = Selectable<CartLinesTable>;

declare module '../../db/database.js' {
  interface Database {
    carts: CartsTable;
    cart_lines: CartLinesTable;
    cart_channel_settings: CartChannelSettingsTable;
  }
}
