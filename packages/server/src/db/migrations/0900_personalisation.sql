-- Personalisation: consented interaction history, and the aggregate statistics the
-- recommenders serve from (item and pair counts, trending keys, materialised neighbour lists).

-- An anonymous visitor exists here only once it has agreed to personalisation: the row IS
-- the consent. Withdrawing it deletes the row and, by cascade, the visitor's history.
CREATE TABLE personalisation_visitors (
  id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{16,64}$'),
  channel_id text NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  -- Set at login (stitching): the visitor's history now belongs to this customer.
  customer_id text REFERENCES customers (id) ON DELETE CASCADE,
  consented_at timestamptz NOT NULL,
  stitched_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX personalisation_visitors_customer ON personalisation_visitors (customer_id)
  WHERE customer_id IS NOT NULL;

-- One row per stored interaction. Rows exist only with consent (visitor row or the
-- customer's consent_personalisation); deleting a shopper's data deletes them all.
CREATE TABLE interactions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel_id text NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  visitor_id text REFERENCES personalisation_visitors (id) ON DELETE CASCADE,
  customer_id text REFERENCES customers (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('product_view', 'search', 'add_to_cart', 'list_click', 'purchase')),
  product_id text REFERENCES products (id) ON DELETE CASCADE,
  query text CHECK (length(query) <= 200),
  list text CHECK (length(list) <= 100),
  quantity integer CHECK (quantity > 0),
  order_id text,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  CHECK (visitor_id IS NOT NULL OR customer_id IS NOT NULL),
  CHECK ((kind = 'search') = (product_id IS NULL))
);
-- A shopper's history, newest first (for_you, recently_viewed, affinities, export).
CREATE INDEX interactions_customer ON interactions (customer_id, occurred_at DESC) WHERE customer_id IS NOT NULL;
CREATE INDEX interactions_visitor ON interactions (visitor_id, occurred_at DESC) WHERE visitor_id IS NOT NULL;
-- A purchase is recorded once per order and product, however often order.placed is delivered.
CREATE UNIQUE INDEX interactions_purchase ON interactions (order_id, product_id) WHERE kind = 'purchase';

-- Aggregate co-occurrence statistics: anonymous counts, never linked to a shopper. `signal`
-- is 'purchase' (one basket per order) or 'view' (one basket per shopper and UTC day).
CREATE TABLE recs_item_counts (
  signal text NOT NULL CHECK (signal IN ('purchase', 'view')),
  product_id text NOT NULL,
  count double precision NOT NULL,
  PRIMARY KEY (signal, product_id)
);
-- Unordered pairs are stored once, product_a < product_b; the second index reads a
-- product's partners from the other side.
CREATE TABLE recs_pair_counts (
  signal text NOT NULL CHECK (signal IN ('purchase', 'view')),
  product_a text NOT NULL,
  product_b text NOT NULL,
  count double precision NOT NULL,
  PRIMARY KEY (signal, product_a, product_b),
  CHECK (product_a < product_b)
);
CREATE INDEX recs_pair_counts_b ON recs_pair_counts (signal, product_b, product_a);
CREATE TABLE recs_totals (
  signal text PRIMARY KEY CHECK (signal IN ('purchase', 'view')),
  baskets double precision NOT NULL
);

-- Orders already counted (and retracted when cancelled): makes the order subscribers
-- idempotent and lets a full rebuild hand over to them without double counting.
CREATE TABLE recs_counted_orders (
  order_id text PRIMARY KEY,
  counted_at timestamptz NOT NULL DEFAULT now(),
  retracted_at timestamptz
);

-- Time-decayed popularity per channel. `rank_key` = log2(Σ weight · 2^(t / half-life)), with t
-- in half-lives since the epoch: every product decays alike, so ordering by the key is ordering
-- by the current score at any moment, and today's score is 2^(rank_key − now / half-life).
CREATE TABLE recs_trending (
  channel_id text NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  product_id text NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  rank_key double precision NOT NULL,
  PRIMARY KEY (channel_id, product_id)
);
CREATE INDEX recs_trending_rank ON recs_trending (channel_id, rank_key DESC, product_id);

-- Materialised serving lists: per intent and product, its top neighbours (≤ 50). `layer`
-- says which scorer produced the product's list (the order subscriber refreshes cosine lists
-- right away; EASE lists wait for `merx recs rebuild`).
CREATE TABLE recs_neighbours (
  intent text NOT NULL CHECK (intent IN ('related', 'bought_together')),
  product_id text NOT NULL,
  rank smallint NOT NULL,
  neighbour_id text NOT NULL,
  score double precision NOT NULL,
  layer text NOT NULL CHECK (layer IN ('ease', 'cosine')),
  PRIMARY KEY (intent, product_id, rank)
);
