/** Price facet boundaries in minor units: [0, 10.00), [10.00, 25.00), … [1000.00, ∞). */
export const PRICE_BUCKETS = [0, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000] as const;

export interface FacetRow {
  value: string;
  count: number;
}

/**
 * A bucket index from SQL `width_bucket(amount, PRICE_BUCKETS)` (1-based) as the inclusive
 * range a client passes back as `price_min` / `price_max` to get exactly that many results.
 */
export function priceBucket(index: number): { min: number; max: number | null } {
  const min = PRICE_BUCKETS[index - 1];
  const next = PRICE_BUCKETS[index];
  return { min, max: next === undefined ? null : next - 1 };
}

/** `Size:M` rows grouped per option name, names and values in order of count. */
export function groupOptionFacets(rows: readonly FacetRow[]) {
  const byName = new Map<string, Array<{ value: string; count: number }>>();
  for (const row of rows) {
    const at = row.value.indexOf(':');
    const name = row.value.slice(0, at);
    const list = byName.get(name) ?? [];
    list.push({ value: row.value.slice(at + 1), count: row.count });
    byName.set(name, list);
  }
  return [...byName].map(([name, values]) => ({ name, values }));
}
