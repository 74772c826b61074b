-- Search sync, cheaper for bulk writes and for stock holds.
--
-- 0800 marked products dirty from row triggers: an import batch of 500 products fired one
-- trigger (a PL/pgSQL call plus a lookup) per variant, price and membership row — over
-- 10,000 calls for 500 demo products. Here the catalog and price tables mark from statement
-- triggers over transition tables: one call per statement, whatever its row count. The
-- deferred `search_flush` still rebuilds every marked product at commit, so a committed
-- write is visible to search exactly as before.
--
-- Transition tables allow one event per trigger, hence three triggers per table. Variant IDs
-- are resolved with a correlated primary-key probe per row: transition tables have no
-- statistics, and a hash join would read every variant of a 100,000-product catalog.

CREATE FUNCTION search_track_products_statement() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- INSERT and UPDATE only: a deleted product's document goes by ON DELETE CASCADE.
  PERFORM search_mark(ARRAY(SELECT id FROM new_rows));
  RETURN NULL;
END $$;

CREATE FUNCTION search_track_product_id_statement() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM search_mark(ARRAY(SELECT product_id FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM search_mark(ARRAY(SELECT product_id FROM old_rows));
  ELSE
    PERFORM search_mark(ARRAY(SELECT product_id FROM new_rows UNION SELECT product_id FROM old_rows));
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION search_track_variant_id_statement() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM search_mark(ARRAY(SELECT (SELECT v.product_id FROM variants v WHERE v.id = r.variant_id)
      FROM (SELECT DISTINCT variant_id FROM new_rows) r));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM search_mark(ARRAY(SELECT (SELECT v.product_id FROM variants v WHERE v.id = r.variant_id)
      FROM (SELECT DISTINCT variant_id FROM old_rows) r));
  ELSE
    PERFORM search_mark(ARRAY(SELECT (SELECT v.product_id FROM variants v WHERE v.id = r.variant_id)
      FROM (SELECT variant_id FROM new_rows UNION SELECT variant_id FROM old_rows) r));
  END IF;
  RETURN NULL;
END $$;

DROP TRIGGER search_track ON products;
CREATE TRIGGER search_track_insert AFTER INSERT ON products REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_track_products_statement();
CREATE TRIGGER search_track_update AFTER UPDATE ON products REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_track_products_statement();

DROP TRIGGER search_track ON variants;
CREATE TRIGGER search_track_insert AFTER INSERT ON variants REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_track_product_id_statement();
CREATE TRIGGER search_track_update AFTER UPDATE ON variants REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_track_product_id_statement();
CREATE TRIGGER search_track_delete AFTER DELETE ON variants REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_track_product_id_statement();

DROP TRIGGER search_track ON product_categories;
CREATE TRIGGER search_track_insert AFTER INSERT ON product_categories REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_track_product_id_statement();
CREATE TRIGGER search_track_update AFTER UPDATE ON product_categories REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_track_product_id_statement();
CREATE TRIGGER search_track_delete AFTER DELETE ON product_categories REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_track_product_id_statement();

DROP TRIGGER search_track ON product_collections;
CREATE TRIGGER search_track_insert AFTER INSERT ON product_collections REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_track_product_id_statement();
CREATE TRIGGER search_track_update AFTER UPDATE ON product_collections REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_track_product_id_statement();
CREATE TRIGGER search_track_delete AFTER DELETE ON product_collections REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_track_product_id_statement();

DROP TRIGGER search_track ON product_channels;
CREATE TRIGGER search_track_insert AFTER INSERT ON product_channels REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_track_product_id_statement();
CREATE TRIGGER search_track_update AFTER UPDATE ON product_channels REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_track_product_id_statement();
CREATE TRIGGER search_track_delete AFTER DELETE ON product_channels REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_track_product_id_statement();

DROP TRIGGER search_track ON prices;
CREATE TRIGGER search_track_insert AFTER INSERT ON prices REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_track_variant_id_statement();
CREATE TRIGGER search_track_update AFTER UPDATE ON prices REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_track_variant_id_statement();
CREATE TRIGGER search_track_delete AFTER DELETE ON prices REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_track_variant_id_statement();

DROP TRIGGER search_track ON inventory_items;
CREATE TRIGGER search_track_insert AFTER INSERT ON inventory_items REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_track_variant_id_statement();
CREATE TRIGGER search_track_update AFTER UPDATE ON inventory_items REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_track_variant_id_statement();
CREATE TRIGGER search_track_delete AFTER DELETE ON inventory_items REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_track_variant_id_statement();

-- Stock levels: a level appearing or going changes whether the variant is tracked at all, so
-- inserts and deletes always mark. An update matters only when it moves the level across
-- "holds units beyond its reservations" (search_refresh's in-stock test): a cart hold or
-- release that leaves units available — the commonest stock write — fires nothing, and the
-- row trigger's WHEN clause decides that without even calling a function.
DROP TRIGGER search_track ON inventory_levels;
CREATE TRIGGER search_track_insert AFTER INSERT ON inventory_levels REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_track_variant_id_statement();
CREATE TRIGGER search_track_delete AFTER DELETE ON inventory_levels REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_track_variant_id_statement();
CREATE TRIGGER search_track_update AFTER UPDATE ON inventory_levels FOR EACH ROW
  WHEN (OLD.variant_id IS DISTINCT FROM NEW.variant_id OR OLD.location_id IS DISTINCT FROM NEW.location_id
    OR (OLD.on_hand - OLD.reserved > 0) IS DISTINCT FROM (NEW.on_hand - NEW.reserved > 0))
  EXECUTE FUNCTION search_track_variant_id();

-- The rebuild plans for index lookups only (0800), which makes its cost estimates huge, and
-- past jit_above_cost PostgreSQL compiles — and past 500,000 optimises and inlines — every
-- rebuild with LLVM. Its statements run once per transaction, so compiling never pays: a
-- 10,000-product seed on PostgreSQL imported in 50 s with the statement triggers alone and
-- in 23 s with JIT off as well. (PGlite has no JIT; the setting is accepted and ignored.)
ALTER FUNCTION search_refresh(text[]) SET jit = off;

-- Replaced by the statement functions above.
DROP FUNCTION search_track_product();
DROP FUNCTION search_track_product_id();
