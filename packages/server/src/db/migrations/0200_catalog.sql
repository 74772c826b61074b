-- Catalog: products with options and variants, a category tree, collections, and each
-- channel's assortment. Prices live in 0250_pricing.sql.
CREATE TABLE products (
  id text PRIMARY KEY,
  handle text NOT NULL UNIQUE CHECK (handle ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
  attributes jsonb NOT NULL DEFAULT '{}',
  media jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(media) = 'array'),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- Store sort by title walks this index; `q` uses the trigram index.
CREATE INDEX products_title ON products (title, id);
CREATE INDEX products_title_trgm ON products USING gin (title gin_trgm_ops);
CREATE INDEX products_status_id ON products (status, id);

CREATE TABLE product_options (
  id text PRIMARY KEY,
  product_id text NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  name text NOT NULL,
  "values" text[] NOT NULL DEFAULT '{}',
  position integer NOT NULL DEFAULT 0,
  UNIQUE (product_id, name)
);

CREATE TABLE variants (
  id text PRIMARY KEY,
  product_id text NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  sku text NOT NULL UNIQUE,
  title text NOT NULL DEFAULT '',
  option_values jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(option_values) = 'object'),
  barcode text,
  weight_grams integer CHECK (weight_grams >= 0),
  position integer NOT NULL DEFAULT 0,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX variants_product ON variants (product_id, position, id);
-- `option=Size:M` filters probe variants' option values.
CREATE INDEX variants_option_values ON variants USING gin (option_values jsonb_path_ops);

CREATE TABLE categories (
  id text PRIMARY KEY,
  parent_id text REFERENCES categories (id) ON DELETE RESTRICT,
  handle text NOT NULL UNIQUE CHECK (handle ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  position integer NOT NULL DEFAULT 0,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (parent_id <> id)
);
CREATE INDEX categories_parent ON categories (parent_id, position, id);

CREATE TABLE collections (
  id text PRIMARY KEY,
  handle text NOT NULL UNIQUE CHECK (handle ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Membership tables lead with the filter column so "products in category X" is an index range.
CREATE TABLE product_categories (
  category_id text NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
  product_id text NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  PRIMARY KEY (category_id, product_id)
);
CREATE INDEX product_categories_product ON product_categories (product_id);

CREATE TABLE product_collections (
  collection_id text NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
  product_id text NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  PRIMARY KEY (collection_id, product_id)
);
CREATE INDEX product_collections_product ON product_collections (product_id);

-- A channel's assortment. The store list's default order (newest first) walks this
-- primary key backwards: product IDs are time-sortable.
CREATE TABLE product_channels (
  channel_id text NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  product_id text NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  PRIMARY KEY (channel_id, product_id)
);
CREATE INDEX product_channels_product ON product_channels (product_id);
