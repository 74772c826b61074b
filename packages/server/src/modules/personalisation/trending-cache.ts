import type { ScoredProduct } from './algorithms/index.js';
import { TtlCache } from './ttl-cache.js';

/**
 * Each channel's trending list, memoised briefly: it changes slowly and every recommendation
 * reads it as its fallback. Writes on this node drop their channel's entry; other nodes see
 * a new sale within the TTL.
 */
export const trendingCache = new TtlCache<ScoredProduct[]>(5_000, 10_000);
