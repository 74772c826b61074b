-- Inventory: where stock sits, how much is promised to carts and orders, and why it moved.
-- Variant IDs are plain text (no foreign key into the catalog's tables): modules own their
-- tables, and a variant deleted from the catalog keeps its stock history.

CREATE TABLE stock_locations (
  id text PRIMARY KEY,
  name text NOT NULL,
  -- Lower serves first when stock for one variant sits in several locations.
  priority integer NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 1000000),
  address jsonb,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- A location serves one or more channels; a channel sells only stock from its locations.
CREATE TABLE stock_location_channels (
  location_id text NOT NULL REFERENCES stock_locations (id) ON DELETE CASCADE,
  channel_id text NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  PRIMARY KEY (location_id, channel_id)
);
CREATE INDEX stock_location_channels_channel ON stock_location_channels (channel_id);

-- Per-variant settings. `allow_backorder` is copied onto every level of the variant so the
-- CHECK below can enforce "never oversold" inside the database itself.
CREATE TABLE inventory_items (
  variant_id text PRIMARY KEY,
  allow_backorder boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE inventory_levels (
  variant_id text NOT NULL,
  location_id text NOT NULL REFERENCES stock_locations (id) ON DELETE CASCADE,
  on_hand integer NOT NULL,
  reserved integer NOT NULL DEFAULT 0,
  allow_backorder boolean NOT NULL DEFAULT false,
  low_stock_threshold integer CHECK (low_stock_threshold >= 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (variant_id, location_id),
  CHECK (reserved >= 0),
  -- The oversell guard of last resort: whatever the code does, a level without backorder
  -- can never promise or ship more than it holds.
  CHECK (allow_backorder OR (on_hand >= 0 AND reserved <= on_hand))
);
CREATE INDEX inventory_levels_location ON inventory_levels (location_id, variant_id);

-- The reservation ledger: every unit promised to a cart or an order, and what became of it.
CREATE TABLE inventory_reservations (
  id text PRIMARY KEY,
  variant_id text NOT NULL,
  location_id text NOT NULL REFERENCES stock_locations (id) ON DELETE CASCADE,
  quantity integer NOT NULL CHECK (quantity > 0),
  cart_id text,
  order_id text,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'released', 'expired', 'committed')),
  expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (cart_id IS NOT NULL OR order_id IS NOT NULL)
);
CREATE INDEX inventory_reservations_cart ON inventory_reservations (cart_id) WHERE status = 'active';
CREATE INDEX inventory_reservations_order ON inventory_reservations (order_id);
CREATE INDEX inventory_reservations_variant ON inventory_reservations (variant_id, location_id) WHERE status = 'active';
CREATE INDEX inventory_reservations_expiry ON inventory_reservations (expires_at) WHERE status = 'active' AND expires_at IS NOT NULL;

-- Every change of on_hand, with its reason and who made it.
CREATE TABLE inventory_movements (
  id text PRIMARY KEY,
  variant_id text NOT NULL,
  location_id text NOT NULL,
  delta integer NOT NULL,
  on_hand_after integer NOT NULL,
  reason text NOT NULL,
  note text,
  actor text,
  order_id text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inventory_movements_variant ON inventory_movements (variant_id, id);
CREATE INDEX inventory_movements_location ON inventory_movements (location_id, id);

-- When a channel takes stock out of availability: at add-to-cart (with a TTL), at checkout
-- start, or only when the order is placed. Absent row = at_checkout with a 15-minute TTL.
CREATE TABLE inventory_channel_settings (
  channel_id text PRIMARY KEY REFERENCES channels (id) ON DELETE CASCADE,
  reservation_point text NOT NULL CHECK (reservation_point IN ('at_add_to_cart', 'at_checkout', 'at_order')),
  reservation_ttl_seconds integer NOT NULL DEFAULT 900 CHECK (reservation_ttl_seconds BETWEEN 60 AND 604800),
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);
