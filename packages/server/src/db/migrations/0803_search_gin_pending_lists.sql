-- GIN indexes buffer new entries in an unsorted pending list (up to 4 MB by default) that
-- every search must read through until a vacuum or an overflow merges it. After a 10,000-
-- product seed the keywords index held 3.3 MB of it: a two-word search spent 4.7 ms of its
-- 10 ms there, and 5 ms after the list was merged. The small indexes (a few entries per
-- product) are written straight into the tree instead — a 10,000-product seed took no
-- measurably longer — and the whole document's index (dozens of entries per product, mostly
-- SKUs and barcodes) keeps a short list.
ALTER INDEX search_documents_keywords SET (fastupdate = off);
ALTER INDEX search_documents_categories SET (fastupdate = off);
ALTER INDEX search_documents_channels SET (fastupdate = off);
ALTER INDEX search_documents_document SET (gin_pending_list_limit = 256);
-- What an existing database has pending now.
SELECT gin_clean_pending_list('search_documents_keywords'), gin_clean_pending_list('search_documents_categories'),
  gin_clean_pending_list('search_documents_channels'), gin_clean_pending_list('search_documents_document');
