/**
 * The search index (migration 0800): written only by its SQL functions and triggers, read by
 * this module. Declared so typed queries and tests can reach it.
 */
export interface SearchDocumentsTable {
  product_id: string;
  handle: string;
  title: string;
  title_lower: string;
  image_url: string | null;
  document: string;
  channel_ids: string[];
  category_ids: string[];
  collection_ids: string[];
  option_values: string[];
  attribute_pairs: string[];
  stock_everywhere: boolean;
  stock_channel_ids: string[];
  /** `{"<channel_id>:<currency>": [min, max]}`: from-prices for an anonymous shopper buying one. */
  prices: Record<string, [number, number]>;
  /** Title (A), category, attribute and option words (B): what relevance ranks. */
  keywords: string;
  prices_valid_until: Date | null;
  indexed_at: Date;
}

export interface SearchWordsTable {
  word: string;
}

export interface SearchLabelsTable {
  id: string;
  kind: 'category' | 'collection';
  handle: string;
  name: string;
  words: string;
}

declare module '../../db/database.js' {
  interface Database {
    search_documents: SearchDocumentsTable;
    search_words: SearchWordsTable;
    search_labels: SearchLabelsTable;
  }
}
