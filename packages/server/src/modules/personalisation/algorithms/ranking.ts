import type { ProductId, ScoredProduct } from './types.js';

/** Highest score first; ties by product id so that every ranking is reproducible. */
export function compareScored(a: ScoredProduct, b: ScoredProduct): number {
  return b.score - a.score || (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0);
}

/**
 * The best `limit` products; only positive scores qualify (a net-negative total is evidence
 * against). For a short list out of many candidates a bounded insertion avoids sorting them all.
 */
export function topScored(scores: ReadonlyMap<ProductId, number>, limit: number): ScoredProduct[] {
  if (limit >= scores.size) {
    const all: ScoredProduct[] = [];
    for (const [productId, score] of scores) if (score > 0) all.push({ productId, score });
    return all.sort(compareScored);
  }
  const top: ScoredProduct[] = [];
  if (limit <= 0) return top;
  for (const [productId, score] of scores) {
    if (!(score > 0)) continue;
    const candidate = { productId, score };
    if (top.length === limit && compareScored(candidate, top[limit - 1]) >= 0) continue;
    let position = Math.min(top.length, limit - 1);
    while (position > 0 && compareScored(candidate, top[position - 1]) < 0) {
      top[position] = top[position - 1];
      position--;
    }
    top[position] = candidate;
  }
  return top;
}

/**
 * Tops `ranked` up to `limit` with products from `fallback` (in its order) that are neither
 * excluded nor already present, so a sparse signal never yields a short list.
 */
export function fillFrom(
  ranked: readonly ScoredProduct[],
  fallback: readonly ScoredProduct[],
  exclude: ReadonlySet<ProductId>,
  limit: number,
): ScoredProduct[] {
  const result = ranked.slice(0, limit);
  const present = new Set(result.map((item) => item.productId));
  for (const candidate of fallback) {
    if (result.length >= limit) break;
    if (exclude.has(candidate.productId) || present.has(candidate.productId)) continue;
    present.add(candidate.productId);
    result.push(candidate);
  }
  return result;
}
