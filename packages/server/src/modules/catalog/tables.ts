import type { Generated, Selectable } from 'kysely';

export type ProductStatus = 'draft' | 'published' | 'archived';

export interface MediaItem {
  url: string;
  alt: string | null;
}

export interface ProductsTable {
  id: string;
  handle: string;
  title: string;
  description: Generated<string>;
  status: Generated<ProductStatus>;
  attributes: Generated<Record<string, unknown>>;
  media: Generated<MediaItem[]>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ProductOptionsTable {
  id: string;
  product_id: string;
  name: string;
  values: string[];
  position: Generated<number>;
}

export interface VariantsTable {
  id: string;
  product_id: string;
  sku: string;
  title: Generated<string>;
  option_values: Generated<Record<string, string>>;
  barcode: string | null;
  weight_grams: number | null;
  position: Generated<number>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CategoriesTable {
  id: string;
  parent_id: string | null;
  handle: string;
  name: string;
  description: Generated<string>;
  position: Generated<number>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CollectionsTable {
  id: string;
  handle: string;
  title: string;
  description: Generated<string>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ProductCategoriesTable {
  category_id: string;
  product_id: string;
}

export interface ProductCollectionsTable {
  collection_id: string;
  product_id: string;
}

export interface ProductChannelsTable {
  channel_id: string;
  product_id: string;
}

export type ProductRow = Selectable<ProductsTable>;
export type ProductOptionRow = Selectable<ProductOptionsTable>;
export type VariantRow = Selectable<VariantsTable>;
export type CategoryRow = Selectable<CategoriesTable>;
export type CollectionRow = Selectable<CollectionsTable>;

declare module '../../db/database.js' {
  interface Database {
    products: ProductsTable;
    product_options: ProductOptionsTable;
    variants: VariantsTable;
    categories: CategoriesTable;
    collections: CollectionsTable;
    product_categories: ProductCategoriesTable;
    product_collections: ProductCollectionsTable;
    product_channels: ProductChannelsTable;
  }
}
