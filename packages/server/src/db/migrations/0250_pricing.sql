-- Prices per variant and currency in integer minor units. Optional scopes (channel,
-- customer group, segment), quantity tiers and a validity window; selection rules live in
-- modules/pricing/select.ts (and its SQL twin, tested to agree).
CREATE TABLE prices (
  id text PRIMARY KEY,
  variant_id text NOT NULL REFERENCES variants (id) ON DELETE CASCADE,
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  amount bigint NOT NULL CHECK (amount >= 0 AND amount <= 1000000000000),
  channel_id text REFERENCES channels (id) ON DELETE CASCADE,
  -- Customer groups and segments belong to later modules; kept as plain references.
  customer_group_id text,
  segment_id text,
  min_quantity integer NOT NULL DEFAULT 1 CHECK (min_quantity >= 1),
  starts_at timestamptz,
  ends_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (starts_at IS NULL OR ends_at IS NULL OR starts_at < ends_at)
);
-- One price per scope, tier and start: two identical rules would make selection ambiguous.
CREATE UNIQUE INDEX prices_scope ON prices (
  variant_id, currency, COALESCE(channel_id, ''), COALESCE(customer_group_id, ''),
  COALESCE(segment_id, ''), min_quantity, COALESCE(starts_at, '-infinity'::timestamptz)
);
-- Every price lookup (store list lateral, cart pricing) is by variant then currency.
CREATE INDEX prices_variant_currency ON prices (variant_id, currency);
