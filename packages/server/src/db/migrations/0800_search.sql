-- Search: one denormalised document per published product, kept in sync with the catalog,
-- pricing and inventory tables by triggers in the same transaction as the change.
--
-- How the sync works: row triggers on the source tables only record the affected product in
-- `search_dirty` (cheap, one row per product per transaction). A deferred constraint trigger
-- on `search_dirty` then rebuilds every dirty product once, set-based, when the transaction
-- commits. So a bulk import rebuilds each product once, and a reader never sees a committed
-- catalog change without its search document. The search module reads these source tables
-- only here, in SQL; its TypeScript reads only the search_* tables.

-- Words as the index sees them: lower case, split on anything but letters and digits, plus
-- the joined form of punctuated words ("T-Shirt" → "t shirt tshirt", "TS-001" → "ts 001 ts001"),
-- so "tshirt" and "t-shirt" both find a T-shirt. The query side (text.ts) normalises alike.
CREATE FUNCTION search_normalize(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT regexp_replace(lower(coalesce(t, '')), '[^[:alnum:]]+', ' ', 'g') || ' ' || coalesce((
    SELECT string_agg(regexp_replace(m[1], '[^[:alnum:]]+', '', 'g'), ' ')
    FROM regexp_matches(lower(coalesce(t, '')), '([[:alnum:]]+(?:[^[:alnum:][:space:]]+[[:alnum:]]+)+)', 'g') AS m
  ), '')
$$;

CREATE TABLE search_documents (
  product_id text PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
  handle text NOT NULL,
  title text NOT NULL,
  -- Lower-cased title for trigram similarity (ranking and suggestions).
  title_lower text NOT NULL,
  image_url text,
  -- Weighted: title, SKUs and barcodes A; category names, brand/attributes and option values B;
  -- description C.
  document tsvector NOT NULL,
  channel_ids text[] NOT NULL,
  -- The product's categories and all their ancestors: `category=X` includes descendants.
  category_ids text[] NOT NULL,
  collection_ids text[] NOT NULL,
  -- 'Size:M', 'Colour:Red': option values some variant of the product has.
  option_values text[] NOT NULL,
  -- 'brand:Acme': top-level scalar attributes, for personalised ranking.
  attribute_pairs text[] NOT NULL,
  -- In stock in every channel: some variant is untracked (no stock level) or backorderable.
  stock_everywhere boolean NOT NULL,
  -- Channels where some variant has units on hand beyond its reservations.
  stock_channel_ids text[] NOT NULL,
  -- The next start or end of a scheduled price of the product: past it, the search module
  -- rebuilds the document's prices (the clock moving fires no trigger).
  prices_valid_until timestamptz,
  indexed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX search_documents_document ON search_documents USING gin (document);
CREATE INDEX search_documents_channels ON search_documents USING gin (channel_ids);
CREATE INDEX search_documents_categories ON search_documents USING gin (category_ids);
CREATE INDEX search_documents_prices_valid_until ON search_documents (prices_valid_until)
  WHERE prices_valid_until IS NOT NULL;

-- From-price per channel and currency for an anonymous shopper buying one unit: the
-- `selectPrice` rule (pricing/select.ts) restricted to prices without customer group or
-- segment, as of the document's last rebuild (see prices_valid_until).
CREATE TABLE search_prices (
  channel_id text NOT NULL,
  currency text NOT NULL,
  product_id text NOT NULL REFERENCES search_documents (product_id) ON DELETE CASCADE,
  min_amount bigint NOT NULL,
  max_amount bigint NOT NULL,
  PRIMARY KEY (channel_id, currency, product_id)
);
CREATE INDEX search_prices_product ON search_prices (product_id);

-- Every word the index has seen: prefix matching by range (C collation); typo correction
-- looks up the nearest words by trigram distance (GiST k-nearest-neighbour). Words with digits
-- (SKUs, barcodes: the vast majority of a large catalog's vocabulary) are never corrected, so
-- the GiST index leaves them out: 140,000 words become about 800 at 10,000 products.
CREATE TABLE search_words (
  word text COLLATE "C" PRIMARY KEY
);
CREATE INDEX search_words_fuzzy ON search_words USING gist (word gist_trgm_ops) WHERE word !~ '[0-9]';

-- Category and collection names for facet labels and suggestions.
CREATE TABLE search_labels (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('category', 'collection')),
  handle text NOT NULL,
  name text NOT NULL,
  words tsvector NOT NULL
);

-- No unique key on purpose: a unique key would make a second transaction touching the same
-- product wait for the first to commit, and two such waits in opposite orders deadlock.
-- search_mark skips products the transaction already marked instead.
CREATE TABLE search_dirty (
  product_id text NOT NULL
);
CREATE INDEX search_dirty_product ON search_dirty (product_id);

-- Rebuilds the documents, prices and vocabulary of the given products, set-based.
-- Every lookup here is by product or variant key. During a bulk import the tables have no
-- statistics yet and the planner would hash-join whole tables once per product (seconds per
-- batch), so the function plans for index lookups only.
CREATE FUNCTION search_refresh(product_ids text[]) RETURNS void
LANGUAGE plpgsql
SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off
AS $$
BEGIN
  IF product_ids IS NULL OR cardinality(product_ids) = 0 THEN RETURN; END IF;
  -- Concurrent refreshes of overlapping products lock their documents in one order: no deadlock.
  PERFORM 1 FROM search_documents WHERE product_id = ANY (product_ids) ORDER BY product_id FOR UPDATE;
  DELETE FROM search_documents d WHERE d.product_id = ANY (product_ids)
    AND NOT EXISTS (SELECT 1 FROM products p WHERE p.id = d.product_id AND p.status = 'published');

  INSERT INTO search_documents AS d (product_id, handle, title, title_lower, image_url, document, channel_ids,
    category_ids, collection_ids, option_values, attribute_pairs, stock_everywhere, stock_channel_ids,
    prices_valid_until, indexed_at)
  SELECT p.id, p.handle, p.title, lower(p.title), p.media->0->>'url',
    setweight(to_tsvector('simple', search_normalize(concat_ws(' ', p.title, vc.codes))), 'A')
      || setweight(to_tsvector('simple', search_normalize(concat_ws(' ', cat.names, attr.text, vo.option_text))), 'B')
      || setweight(to_tsvector('simple', search_normalize(p.description)), 'C'),
    ARRAY(SELECT pc.channel_id FROM product_channels pc WHERE pc.product_id = p.id ORDER BY 1),
    coalesce(cat.ids, '{}'),
    ARRAY(SELECT pcol.collection_id FROM product_collections pcol WHERE pcol.product_id = p.id ORDER BY 1),
    coalesce(vo.option_values, '{}'),
    coalesce(attr.pairs, '{}'),
    EXISTS (SELECT 1 FROM variants sv WHERE sv.product_id = p.id AND (
      NOT EXISTS (SELECT 1 FROM inventory_levels l WHERE l.variant_id = sv.id)
      OR EXISTS (SELECT 1 FROM inventory_items i WHERE i.variant_id = sv.id AND i.allow_backorder))),
    ARRAY(SELECT DISTINCT slc.channel_id FROM variants sv
      JOIN inventory_levels l ON l.variant_id = sv.id
      JOIN stock_location_channels slc ON slc.location_id = l.location_id
      WHERE sv.product_id = p.id AND l.on_hand - l.reserved > 0 ORDER BY 1),
    (SELECT min(b.t) FROM variants sv JOIN prices pr ON pr.variant_id = sv.id,
      LATERAL (VALUES (pr.starts_at), (pr.ends_at)) AS b(t)
      WHERE sv.product_id = p.id AND b.t > now()),
    now()
  FROM products p
  LEFT JOIN LATERAL (
    SELECT string_agg(concat_ws(' ', pv.sku, pv.barcode), ' ') AS codes FROM variants pv WHERE pv.product_id = p.id
  ) vc ON true
  LEFT JOIN LATERAL (
    SELECT string_agg(DISTINCT ov.value, ' ') AS option_text,
      array_agg(DISTINCT ov.key || ':' || ov.value) AS option_values
    FROM variants pv CROSS JOIN LATERAL jsonb_each_text(pv.option_values) ov
    WHERE pv.product_id = p.id
  ) vo ON true
  LEFT JOIN LATERAL (
    WITH RECURSIVE up AS (
      SELECT c.id, c.parent_id, c.name FROM product_categories pcat JOIN categories c ON c.id = pcat.category_id
      WHERE pcat.product_id = p.id
      UNION
      SELECT c.id, c.parent_id, c.name FROM categories c JOIN up ON c.id = up.parent_id
    )
    SELECT array_agg(up.id ORDER BY up.id) AS ids, string_agg(up.name, ' ') AS names FROM up
  ) cat ON true
  LEFT JOIN LATERAL (
    SELECT string_agg(a.value, ' ') AS text,
      array_agg(a.key || ':' || a.value) FILTER (WHERE jsonb_typeof(p.attributes->a.key) IN ('string', 'number', 'boolean')) AS pairs
    FROM jsonb_each_text(p.attributes) a
  ) attr ON true
  WHERE p.id = ANY (product_ids) AND p.status = 'published'
  ON CONFLICT (product_id) DO UPDATE SET handle = excluded.handle, title = excluded.title,
    title_lower = excluded.title_lower, image_url = excluded.image_url, document = excluded.document,
    channel_ids = excluded.channel_ids, category_ids = excluded.category_ids,
    collection_ids = excluded.collection_ids, option_values = excluded.option_values,
    attribute_pairs = excluded.attribute_pairs, stock_everywhere = excluded.stock_everywhere,
    stock_channel_ids = excluded.stock_channel_ids, prices_valid_until = excluded.prices_valid_until,
    indexed_at = excluded.indexed_at;

  INSERT INTO search_words (word)
  SELECT DISTINCT w FROM search_documents d, unnest(tsvector_to_array(d.document)) w
  WHERE d.product_id = ANY (product_ids)
  ORDER BY 1 -- two transactions adding the same new words wait for each other in one order
  ON CONFLICT DO NOTHING;

  DELETE FROM search_prices WHERE product_id = ANY (product_ids);
  INSERT INTO search_prices (channel_id, currency, product_id, min_amount, max_amount)
  SELECT pc.channel_id, cur.currency, d.product_id, min(sel.amount), max(sel.amount)
  FROM search_documents d
  JOIN product_channels pc ON pc.product_id = d.product_id
  JOIN variants v ON v.product_id = d.product_id
  CROSS JOIN LATERAL (SELECT DISTINCT pr.currency FROM prices pr WHERE pr.variant_id = v.id) cur
  -- Mirrors pricing/sql.ts selectedPriceSubquery for a shopper with no group or segment, quantity 1.
  CROSS JOIN LATERAL (
    SELECT pr.amount FROM prices pr
    WHERE pr.variant_id = v.id AND pr.currency = cur.currency
      AND (pr.channel_id IS NULL OR pr.channel_id = pc.channel_id)
      AND pr.customer_group_id IS NULL AND pr.segment_id IS NULL AND pr.min_quantity <= 1
      AND (pr.starts_at IS NULL OR pr.starts_at <= now()) AND (pr.ends_at IS NULL OR pr.ends_at > now())
    ORDER BY (pr.channel_id IS NOT NULL) DESC, pr.min_quantity DESC, pr.starts_at DESC NULLS LAST,
      pr.amount, pr.id COLLATE "C"
    LIMIT 1
  ) sel
  WHERE d.product_id = ANY (product_ids)
  GROUP BY pc.channel_id, cur.currency, d.product_id;
END $$;

-- The deferred trigger's first firing in a transaction flushes every product it dirtied
-- (other transactions' rows are invisible until they commit, and they flush their own).
CREATE FUNCTION search_flush() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- Fires once per marked product: all but the first find their mark already flushed.
  IF NOT EXISTS (SELECT 1 FROM search_dirty WHERE product_id = NEW.product_id) THEN RETURN NULL; END IF;
  PERFORM search_refresh(ARRAY(SELECT DISTINCT product_id FROM search_dirty));
  DELETE FROM search_dirty;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER search_flush_at_commit AFTER INSERT ON search_dirty
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION search_flush();

CREATE FUNCTION search_mark(ids text[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO search_dirty (product_id)
  SELECT DISTINCT id FROM unnest(ids) AS id
  WHERE id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM search_dirty d WHERE d.product_id = id)
$$;

-- products: its own id.
CREATE FUNCTION search_track_product() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RETURN NULL; END IF; -- the document goes by ON DELETE CASCADE
  PERFORM search_mark(ARRAY[NEW.id]);
  RETURN NULL;
END $$;
CREATE TRIGGER search_track AFTER INSERT OR UPDATE ON products
  FOR EACH ROW EXECUTE FUNCTION search_track_product();

-- Tables with a product_id column.
CREATE FUNCTION search_track_product_id() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM search_mark(CASE TG_OP
    WHEN 'INSERT' THEN ARRAY[NEW.product_id]
    WHEN 'DELETE' THEN ARRAY[OLD.product_id]
    ELSE ARRAY[NEW.product_id, OLD.product_id] END);
  RETURN NULL;
END $$;
CREATE TRIGGER search_track AFTER INSERT OR UPDATE OR DELETE ON variants
  FOR EACH ROW EXECUTE FUNCTION search_track_product_id();
CREATE TRIGGER search_track AFTER INSERT OR UPDATE OR DELETE ON product_categories
  FOR EACH ROW EXECUTE FUNCTION search_track_product_id();
CREATE TRIGGER search_track AFTER INSERT OR UPDATE OR DELETE ON product_collections
  FOR EACH ROW EXECUTE FUNCTION search_track_product_id();
CREATE TRIGGER search_track AFTER INSERT OR UPDATE OR DELETE ON product_channels
  FOR EACH ROW EXECUTE FUNCTION search_track_product_id();

-- Tables with a variant_id column (prices, stock levels, backorder settings).
CREATE FUNCTION search_track_variant_id() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM search_mark(ARRAY(SELECT v.product_id FROM variants v WHERE v.id IN (
    CASE WHEN TG_OP <> 'DELETE' THEN NEW.variant_id END, CASE WHEN TG_OP <> 'INSERT' THEN OLD.variant_id END)));
  RETURN NULL;
END $$;
CREATE TRIGGER search_track AFTER INSERT OR UPDATE OR DELETE ON prices
  FOR EACH ROW EXECUTE FUNCTION search_track_variant_id();
CREATE TRIGGER search_track AFTER INSERT OR UPDATE OR DELETE ON inventory_levels
  FOR EACH ROW EXECUTE FUNCTION search_track_variant_id();
CREATE TRIGGER search_track AFTER INSERT OR UPDATE OR DELETE ON inventory_items
  FOR EACH ROW EXECUTE FUNCTION search_track_variant_id();

-- A location starting or stopping to serve a channel changes stock for everything it holds.
CREATE FUNCTION search_track_location() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM search_mark(ARRAY(SELECT DISTINCT v.product_id FROM inventory_levels l JOIN variants v ON v.id = l.variant_id
    WHERE l.location_id IN (CASE WHEN TG_OP <> 'DELETE' THEN NEW.location_id END,
      CASE WHEN TG_OP <> 'INSERT' THEN OLD.location_id END)));
  RETURN NULL;
END $$;
CREATE TRIGGER search_track AFTER INSERT OR UPDATE OR DELETE ON stock_location_channels
  FOR EACH ROW EXECUTE FUNCTION search_track_location();

-- Categories: labels, and a rename or move re-indexes every product in the subtree.
CREATE FUNCTION search_track_category() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM search_labels WHERE id = OLD.id;
    RETURN NULL;
  END IF;
  INSERT INTO search_labels (id, kind, handle, name, words)
  VALUES (NEW.id, 'category', NEW.handle, NEW.name, to_tsvector('simple', search_normalize(NEW.name)))
  ON CONFLICT (id) DO UPDATE SET handle = excluded.handle, name = excluded.name, words = excluded.words;
  IF TG_OP = 'UPDATE' AND (NEW.name IS DISTINCT FROM OLD.name OR NEW.parent_id IS DISTINCT FROM OLD.parent_id) THEN
    PERFORM search_mark(ARRAY(
      WITH RECURSIVE down AS (
        SELECT NEW.id AS id UNION SELECT c.id FROM categories c JOIN down ON c.parent_id = down.id
      )
      SELECT DISTINCT pcat.product_id FROM product_categories pcat WHERE pcat.category_id IN (SELECT id FROM down)));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER search_track AFTER INSERT OR UPDATE OR DELETE ON categories
  FOR EACH ROW EXECUTE FUNCTION search_track_category();

CREATE FUNCTION search_track_collection() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM search_labels WHERE id = OLD.id;
  ELSE
    INSERT INTO search_labels (id, kind, handle, name, words)
    VALUES (NEW.id, 'collection', NEW.handle, NEW.title, to_tsvector('simple', search_normalize(NEW.title)))
    ON CONFLICT (id) DO UPDATE SET handle = excluded.handle, name = excluded.name, words = excluded.words;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER search_track AFTER INSERT OR UPDATE OR DELETE ON collections
  FOR EACH ROW EXECUTE FUNCTION search_track_collection();

-- Rebuilds the documents whose scheduled price started or ended since. One caller at a
-- time: the others skip rather than queue behind it.
CREATE FUNCTION search_refresh_expired_prices() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  ids text[];
BEGIN
  IF NOT pg_try_advisory_xact_lock(7413800) THEN RETURN 0; END IF;
  ids := ARRAY(SELECT product_id FROM search_documents WHERE prices_valid_until <= now());
  PERFORM search_refresh(ids);
  RETURN cardinality(ids);
END $$;

-- Index what exists already (a database migrated after products were created).
INSERT INTO search_labels (id, kind, handle, name, words)
SELECT id, 'category', handle, name, to_tsvector('simple', search_normalize(name)) FROM categories
UNION ALL
SELECT id, 'collection', handle, title, to_tsvector('simple', search_normalize(title)) FROM collections;
SELECT search_refresh(ARRAY(SELECT id FROM products));
