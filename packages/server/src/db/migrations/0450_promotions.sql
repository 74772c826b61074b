-- Promotions: codes (code set) and automatic ones (code null). The shape mirrors the pure
-- engine's Promotion type so a row converts to it without interpretation.
CREATE TABLE promotions (
  id text PRIMARY KEY,
  name text NOT NULL,
  code text CHECK (code ~ '^[A-Za-z0-9_-]{1,64}$'),
  kind text NOT NULL CHECK (kind IN ('percentage', 'fixed', 'buy_x_get_y')),
  value bigint NOT NULL DEFAULT 0 CHECK (value >= 0),
  target jsonb NOT NULL DEFAULT '{"type":"order"}',
  buy_x_get_y jsonb,
  min_subtotal bigint CHECK (min_subtotal >= 0),
  customer_group_ids text[] NOT NULL DEFAULT '{}',
  segment_ids text[] NOT NULL DEFAULT '{}',
  channel_ids text[] NOT NULL DEFAULT '{}',
  starts_at timestamptz,
  ends_at timestamptz,
  currency char(3),
  priority integer NOT NULL DEFAULT 0,
  combinable boolean NOT NULL DEFAULT false,
  active boolean NOT NULL DEFAULT true,
  usage_limit integer CHECK (usage_limit > 0),
  usage_limit_per_customer integer CHECK (usage_limit_per_customer > 0),
  -- Counted by a guarded UPDATE inside the checkout transaction; the CHECK is the last line
  -- of defence should any other path ever bump it.
  times_used integer NOT NULL DEFAULT 0 CHECK (times_used >= 0),
  metadata jsonb NOT NULL DEFAULT '{}',
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (usage_limit IS NULL OR times_used <= usage_limit),
  CHECK (starts_at IS NULL OR ends_at IS NULL OR starts_at < ends_at),
  CHECK (kind <> 'fixed' OR currency IS NOT NULL),
  CHECK (kind <> 'percentage' OR value <= 10000)
);
-- Codes are matched case-insensitively, so two codes differing only in case would be ambiguous.
CREATE UNIQUE INDEX promotions_code ON promotions (upper(code)) WHERE code IS NOT NULL;
CREATE INDEX promotions_automatic ON promotions (id) WHERE code IS NULL AND active;

-- One row per promotion used by an order: the per-customer limit counts these rows.
CREATE TABLE promotion_redemptions (
  id text PRIMARY KEY,
  promotion_id text NOT NULL REFERENCES promotions (id) ON DELETE CASCADE,
  order_id text NOT NULL,
  customer_id text,
  -- Guests are limited by their e-mail address (lower-cased).
  customer_email text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (promotion_id, order_id)
);
CREATE INDEX promotion_redemptions_customer ON promotion_redemptions (promotion_id, customer_id)
  WHERE customer_id IS NOT NULL;
CREATE INDEX promotion_redemptions_email ON promotion_redemptions (promotion_id, customer_email)
  WHERE customer_email IS NOT NULL;
CREATE INDEX promotion_redemptions_order ON promotion_redemptions (order_id);
