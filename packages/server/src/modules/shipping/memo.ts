import { ConfigMemo } from '../../lib/config-memo.js';
import type { RegionRow, ShippingOptionRow } from './tables.js';

/** The region serving a country (null: none), for cart pricing. */
export const regionByCountry = new ConfigMemo<RegionRow | null>();
/** A region's active options with the region's currency, for cart pricing. */
export const activeOptionsOfRegion = new ConfigMemo<Array<ShippingOptionRow & { currency: string }>>();

/** Every region or option write: options carry their region's currency, so both go. */
export function forgetShippingConfig(): void {
  regionByCountry.invalidate();
  activeOptionsOfRegion.invalidate();
}
