-- search_refresh as in 0802, with the product's channels read once, by product.
--
-- 0802 joined product_channels inside the from-price subquery. Without statistics (a bulk
-- import, before its final ANALYZE) the planner read it through its primary key (channel_id,
-- product_id) — the whole index, filtered — for every product: 3.2 s per 500-product batch at
-- 50,000 products instead of 0.5 s. The channels now come from the same by-product lookup that
-- fills channel_ids.

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
    ch.ids,
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
  CROSS JOIN LATERAL (
    SELECT ARRAY(SELECT pc.channel_id FROM product_channels pc WHERE pc.product_id = p.id ORDER BY 1) AS ids
  ) ch
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
      FROM unnest(ch.ids) AS pc(channel_id)
      JOIN variants v ON v.product_id = p.id
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
