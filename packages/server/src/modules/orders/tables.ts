import type { Generated, Selectable } from 'kysely';
import type { Address } from '../cart/tables.js';
import type { LineQuantity, OrderStatus } from './state-machine.js';

export interface OrderPromotionSnapshot {
  promotion_id: string;
  code: string | null;
  amount: number;
}

export interface CommittedStock {
  variantId: string;
  locationId: string;
  quantity: number;
}

export interface ShippingMethodSnapshot {
  option_id: string;
  name: string;
  amount: number;
}

export interface OrdersTable {
  id: string;
  number: Generated<number>;
  cart_id: string;
  channel_id: string;
  customer_id: string | null;
  email: string | null;
  status: OrderStatus;
  currency: string;
  subtotal: number;
  discount_total: number;
  shipping_total: number;
  tax_total: number;
  total: number;
  tax_inclusive: boolean;
  authorised_amount: Generated<number>;
  captured_amount: Generated<number>;
  refunded_amount: Generated<number>;
  delivered: Generated<boolean>;
  cancelled: Generated<boolean>;
  cancel_reason: string | null;
  shipping_address: Address | null;
  billing_address: Address | null;
  shipping_method: ShippingMethodSnapshot | null;
  promotions: OrderPromotionSnapshot[];
  committed_stock: Generated<CommittedStock[]>;
  access_token_hash: string;
  placed_at: Date | null;
  authorised_at: Date | null;
  paid_at: Date | null;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface OrderLinesTable {
  id: string;
  order_id: string;
  position: number;
  variant_id: string;
  product_id: string;
  sku: string;
  product_title: string;
  variant_title: string;
  image_url: string | null;
  unit_price: number;
  quantity: number;
  subtotal: number;
  discount: number;
  tax: number;
  tax_rate_bps: number;
  total: number;
  fulfilled_quantity: Generated<number>;
  returned_quantity: Generated<number>;
}

export interface OrderFulfilmentsTable {
  id: string;
  order_id: string;
  lines: LineQuantity[];
  carrier: string | null;
  tracking_number: string | null;
  tracking_url: string | null;
  created_at: Generated<Date>;
}

export interface OrderReturnsTable {
  id: string;
  order_id: string;
  lines: LineQuantity[];
  restocked: boolean;
  refund_amount: number;
  reason: string | null;
  created_at: Generated<Date>;
}

export type ActorKind = 'secret_key' | 'staff' | 'customer' | 'guest' | 'system' | 'payment_provider';

export interface OrderAuditTable {
  seq: Generated<number>;
  order_id: string;
  actor_kind: ActorKind;
  actor_id: string | null;
  action: string;
  from_status: string | null;
  to_status: string;
  data: Record<string, unknown>;
  created_at: Generated<Date>;
}

export type OrderRow = Selectable<OrdersTable>;
export type OrderLineRow = Selectable<OrderLinesTable>;
export type OrderFulfilmentRow = Selectable<OrderFulfilmentsTable>;
export type OrderReturnRow = Selectable<OrderReturnsTable>;
export type OrderAuditRow = Selectable<OrderAuditTable>;

declare module '../../db/database.js' {
  interface Database {
    orders: OrdersTable;
    order_lines: OrderLinesTable;
    order_fulfilments: OrderFulfilmentsTable;
    order_returns: OrderReturnsTable;
    order_audit: OrderAuditTable;
  }
}
