import type { Generated, Selectable } from 'kysely';

export type ReservationPoint = 'at_add_to_cart' | 'at_checkout' | 'at_order';
export type ReservationStatus = 'active' | 'released' | 'expired' | 'committed';

export interface StockLocationsTable {
  id: string;
  name: string;
  priority: Generated<number>;
  address: Record<string, unknown> | null;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface StockLocationChannelsTable {
  location_id: string;
  channel_id: string;
}

export interface InventoryItemsTable {
  variant_id: string;
  allow_backorder: boolean;
  updated_at: Generated<Date>;
}

export interface InventoryLevelsTable {
  variant_id: string;
  location_id: string;
  on_hand: number;
  reserved: Generated<number>;
  allow_backorder: Generated<boolean>;
  low_stock_threshold: number | null;
  updated_at: Generated<Date>;
}

export interface InventoryReservationsTable {
  id: string;
  variant_id: string;
  location_id: string;
  quantity: number;
  cart_id: string | null;
  order_id: string | null;
  status: Generated<ReservationStatus>;
  expires_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface InventoryMovementsTable {
  id: string;
  variant_id: string;
  location_id: string;
  delta: number;
  on_hand_after: number;
  reason: string;
  note: string | null;
  actor: string | null;
  order_id: string | null;
  created_at: Generated<Date>;
}

export interface InventoryChannelSettingsTable {
  channel_id: string;
  reservation_point: ReservationPoint;
  reservation_ttl_seconds: number;
  version: Generated<number>;
  updated_at: Generated<Date>;
}

export type StockLocationRow = Selectable<StockLocationsTable>;
export type InventoryLevelRow = Selectable<InventoryLevelsTable>;
export type ReservationRow = Selectable<InventoryReservationsTable>;
export type MovementRow = Selectable<InventoryMovementsTable>;

declare module '../../db/database.js' {
  interface Database {
    stock_locations: StockLocationsTable;
    stock_location_channels: StockLocationChannelsTable;
    inventory_items: InventoryItemsTable;
    inventory_levels: InventoryLevelsTable;
    inventory_reservations: InventoryReservationsTable;
    inventory_movements: InventoryMovementsTable;
    inventory_channel_settings: InventoryChannelSettingsTable;
  }
}
