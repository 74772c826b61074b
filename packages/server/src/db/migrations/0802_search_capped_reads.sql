-- Search at 100,000 products: what a broad query reads per match, made small.
--
-- A broad word matches tens of thousands of documents in a large catalog. The search now ranks
-- and counts at most a capped number of them (query.ts SEARCH_CAP) and reads the strongest
-- matches first: `keywords` holds the title (weight A) and the category, attribute and option
-- words (B) — everything but descriptions and the SKUs and barcodes that make up most of a
-- document — in about 230 bytes, stored inline. It has its own GIN index (5 MB at 100,000
-- products against 125 MB for the whole document's), and relevance is ranked on it, so a
-- match no longer detoasts its whole document (about three extra buffer reads and a
-- decompression each, a third of a broad query's time).
--
-- The from-prices move into the document (`prices`: {"<channel_id>:<currency>": [min, max]}):
-- a candidate's price was an index probe into search_prices per match (a quarter of a broad
-- query's time at 100,000 products); it is now read from the row already fetched. The
-- search_prices table goes, and with it 300,000 rows a 100,000-product import wrote and
-- indexed.

ALTER TABLE search_documents
  ADD COLUMN prices jsonb NOT NULL DEFAULT '{}',
  ADD COLUMN keywords tsvector
    GENERATED ALWAYS AS (setweight(to_tsvector('simple', search_normalize(title)), 'A') || ts_filter(document, '{b}')) STORED;

UPDATE search_documents d SET prices = x.prices
FROM (
  SELECT product_id, jsonb_object_agg(channel_id || ':' || currency, jsonb_build_array(min_amount, max_amount)) AS prices
  FROM search_prices GROUP BY product_id
) x
WHERE x.product_id = d.product_id;
DROP TABLE search_prices;

CREATE INDEX search_documents_keywords ON search_documents USING gin (keywords);

CREATE OR REPLACE FUNCTION search_refresh(product_ids text[]) RETURNS void
LANGUAGE plpgsql
SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off SET jit = off
AS $$
BEGIN
  IF product_ids IS NULL OR cardinality(product_ids) = 0 THEN RETURN; END IF;
  -- Concurrent refreshes of overlapping products lock their documents in one order: no deadlock.
  PERFORM 1 FROM search_documents WHERE product_id = ANY (product_ids) ORDER BY product_id FOR UPDATE;
  DELETE FROM search_documents d WHERE d.product_id = ANY (product_ids)
    AND NOT EXISTS (SELECT 1 FROM products p WHERE p.id = d.product_id AND p.status = 'published');

  INSERT INTO search_documents AS d (product_id, handle, title, title_lower, image_url, document, channel_ids,
    category_ids, collection_ids, option_values, attribute_pairs, stock_everywhere, stock_channel_ids,
    prices, prices_valid_until, indexed_at)
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
    coalesce(fp.prices, '{}'),
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
  -- From-prices per channel and currency. Mirrors pricing/sql.ts selectedPriceSubquery for a
  -- shopper with no group or segment, quantity 1.
  LEFT JOIN LATERAL (
    SELECT jsonb_object_agg(f.channel_id || ':' || f.currency, jsonb_build_array(f.min_amount, f.max_amount)) AS prices
    FROM (
      SELECT pc.channel_id, cur.currency, min(sel.amount) AS min_amount, max(sel.amount) AS max_amount
      FROM product_channels pc
      JOIN variants v ON v.product_id = pc.product_id
      CROSS JOIN LATERAL (SELECT DISTINCT pr.currency FROM prices pr WHERE pr.variant_id = v.id) cur
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
      WHERE pc.product_id = p.id
      GROUP BY pc.channel_id, cur.currency
    ) f
  ) fp ON true
  WHERE p.id = ANY (product_ids) AND p.status = 'published'
  ON CONFLICT (product_id) DO UPDATE SET handle = excluded.handle, title = excluded.title,
    title_lower = excluded.title_lower, image_url = excluded.image_url, document = excluded.document,
    channel_ids = excluded.channel_ids, category_ids = excluded.category_ids,
    collection_ids = excluded.collection_ids, option_values = excluded.option_values,
    attribute_pairs = excluded.attribute_pairs, stock_everywhere = excluded.stock_everywhere,
    stock_channel_ids = excluded.stock_channel_ids, prices = excluded.prices,
    prices_valid_until = excluded.prices_valid_until,
    indexed_at = excluded.indexed_at;

  INSERT INTO search_words (word)
  SELECT DISTINCT w FROM search_documents d, unnest(tsvector_to_array(d.document)) w
  WHERE d.product_id = ANY (product_ids)
  ORDER BY 1 -- two transactions adding the same new words wait for each other in one order
  ON CONFLICT DO NOTHING;
END $$;
