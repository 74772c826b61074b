import type { Generated, Selectable } from 'kysely';

export interface TaxOverride {
  country: string;
  /** Province/state code within the country; null applies to the whole country. */
  province: string | null;
  tax_rate_bps: number;
}

export interface StoredWeightBracket {
  up_to_grams: number | null;
  amount: number;
}

export interface RegionsTable {
  id: string;
  name: string;
  currency: string;
  tax_rate_bps: number;
  tax_overrides: TaxOverride[];
  tax_inclusive: boolean;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface RegionCountriesTable {
  country: string;
  region_id: string;
}

export interface ShippingOptionsTable {
  id: string;
  region_id: string;
  name: string;
  kind: 'flat' | 'free_over' | 'weight';
  amount: number | null;
  threshold: number | null;
  weight_brackets: StoredWeightBracket[] | null;
  active: Generated<boolean>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type RegionRow = Selectable<RegionsTable>;
export type ShippingOptionRow = Selectable<ShippingOptionsTable>;

declare module '../../db/database.js' {
  interface Database {
    regions: RegionsTable;
    region_countries: RegionCountriesTable;
    shipping_options: ShippingOptionsTable;
  }
}
