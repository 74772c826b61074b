-- Orders: an immutable snapshot of the cart at checkout plus the facts the lifecycle adds
-- (money moved, units shipped/returned). The status is derived from those facts by the pure
-- state machine in modules/orders/state-machine.ts and stored for filtering.
CREATE SEQUENCE order_number_seq START 1001;

CREATE TABLE orders (
  id text PRIMARY KEY,
  -- What a shopper reads out on the phone; the prefixed id is what APIs use.
  number bigint NOT NULL UNIQUE DEFAULT nextval('order_number_seq'),
  cart_id text NOT NULL,
  channel_id text NOT NULL,
  customer_id text,
  email text,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'authorised', 'paid',
    'partially_fulfilled', 'fulfilled', 'delivered', 'partially_refunded', 'refunded', 'cancelled')),
  currency char(3) NOT NULL,
  subtotal bigint NOT NULL CHECK (subtotal >= 0),
  discount_total bigint NOT NULL CHECK (discount_total >= 0),
  shipping_total bigint NOT NULL CHECK (shipping_total >= 0),
  tax_total bigint NOT NULL CHECK (tax_total >= 0),
  total bigint NOT NULL CHECK (total >= 0),
  tax_inclusive boolean NOT NULL DEFAULT false,
  authorised_amount bigint NOT NULL DEFAULT 0,
  captured_amount bigint NOT NULL DEFAULT 0,
  refunded_amount bigint NOT NULL DEFAULT 0,
  delivered boolean NOT NULL DEFAULT false,
  cancelled boolean NOT NULL DEFAULT false,
  cancel_reason text,
  shipping_address jsonb,
  billing_address jsonb,
  shipping_method jsonb,
  promotions jsonb NOT NULL DEFAULT '[]',
  -- Stock taken from the shelf at placement ([{variantId, locationId, quantity}]): what a
  -- cancellation puts back. Untracked variants never appear here.
  committed_stock jsonb NOT NULL DEFAULT '[]',
  -- Guests read their order with a per-order token; only its hash is stored.
  access_token_hash text NOT NULL,
  placed_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (authorised_amount <= total),
  CHECK (captured_amount <= authorised_amount),
  CHECK (refunded_amount <= captured_amount)
);
-- One live order per cart: a retried or concurrent checkout of the same cart cannot create
-- (or charge for) a second one. A checkout whose 3-D Secure step failed is cancelled, which
-- frees the cart for another attempt.
CREATE UNIQUE INDEX orders_one_per_cart ON orders (cart_id) WHERE NOT cancelled;
CREATE INDEX orders_channel ON orders (channel_id, id);
CREATE INDEX orders_customer ON orders (customer_id, id) WHERE customer_id IS NOT NULL;
CREATE INDEX orders_status ON orders (status, id);
CREATE INDEX orders_email ON orders (lower(email));
CREATE INDEX orders_pending ON orders (created_at) WHERE status = 'pending';

CREATE TABLE order_lines (
  id text PRIMARY KEY,
  order_id text NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  position integer NOT NULL,
  variant_id text NOT NULL,
  product_id text NOT NULL,
  sku text NOT NULL,
  product_title text NOT NULL,
  variant_title text NOT NULL,
  image_url text,
  unit_price bigint NOT NULL CHECK (unit_price >= 0),
  quantity integer NOT NULL CHECK (quantity > 0),
  subtotal bigint NOT NULL,
  discount bigint NOT NULL,
  tax bigint NOT NULL,
  tax_rate_bps integer NOT NULL,
  total bigint NOT NULL,
  fulfilled_quantity integer NOT NULL DEFAULT 0,
  returned_quantity integer NOT NULL DEFAULT 0,
  CHECK (fulfilled_quantity BETWEEN 0 AND quantity),
  CHECK (returned_quantity BETWEEN 0 AND fulfilled_quantity),
  UNIQUE (order_id, position)
);

CREATE TABLE order_fulfilments (
  id text PRIMARY KEY,
  order_id text NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  lines jsonb NOT NULL,
  carrier text,
  tracking_number text,
  tracking_url text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_fulfilments_order ON order_fulfilments (order_id, id);

CREATE TABLE order_returns (
  id text PRIMARY KEY,
  order_id text NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  lines jsonb NOT NULL,
  restocked boolean NOT NULL,
  refund_amount bigint NOT NULL DEFAULT 0,
  reason text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_returns_order ON order_returns (order_id, id);

-- Who did what to an order, with the status before and after. Append-only.
CREATE TABLE order_audit (
  seq bigserial PRIMARY KEY,
  order_id text NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  actor_kind text NOT NULL CHECK (actor_kind IN ('secret_key', 'staff', 'customer', 'guest', 'system', 'payment_provider')),
  actor_id text,
  action text NOT NULL,
  from_status text,
  to_status text NOT NULL,
  data jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_audit_order ON order_audit (order_id, seq);
