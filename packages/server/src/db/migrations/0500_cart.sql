CREATE TABLE carts (
  id text PRIMARY KEY,
  -- The channel the cart was last written through; prices are selected for it.
  channel_id text NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  -- Set when the owner continued the cart through another channel (prices were re-selected).
  previous_channel_id text,
  -- Null for an anonymous cart (reachable by its unguessable ID through its channel only).
  customer_id text REFERENCES customers (id) ON DELETE CASCADE,
  currency char(3) NOT NULL,
  email text,
  shipping_address jsonb,
  billing_address jsonb,
  shipping_option_id text,
  promotion_codes text[] NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed', 'merged')),
  order_id text,
  merged_into text,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  CHECK ((status = 'completed') = (order_id IS NOT NULL)),
  CHECK ((status = 'merged') = (merged_into IS NOT NULL))
);
CREATE INDEX carts_customer_active ON carts (customer_id, updated_at DESC) WHERE status = 'active';

CREATE TABLE cart_lines (
  id text PRIMARY KEY,
  cart_id text NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
  variant_id text NOT NULL,
  -- Limits are part of the API contract: 1..999 per line, at most 100 lines per cart.
  quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 999),
  -- The price and product facts the shopper last saw, so a later change can be reported.
  unit_price bigint CHECK (unit_price >= 0),
  snapshot jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (cart_id, variant_id)
);

-- What happens to a guest cart when the shopper logs in, per channel.
CREATE TABLE cart_channel_settings (
  channel_id text PRIMARY KEY REFERENCES channels (id) ON DELETE CASCADE,
  merge_policy text NOT NULL CHECK (merge_policy IN ('keep_guest', 'keep_customer', 'merge_lines')),
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);
