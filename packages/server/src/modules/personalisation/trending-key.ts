/**
 * Trending as one sortable number per product. With t in half-lives since the epoch,
 *
 *   key = log2( Σ weight_i · 2^(t_i / halfLife) )   and   score(now) = 2^(key − now / halfLife)
 *
 * equals Σ weight_i · 2^(−(now − t_i) / halfLife), the decayed popularity of
 * `algorithms/trending.ts`. Every product decays by the same factor, so ordering by the key is
 * ordering by today's score: the serving read is an index scan with no arithmetic, and a new
 * signal is one log-sum-exp on the stored key, whatever order signals arrive in.
 */

export interface WeightedSignal {
  /** Epoch milliseconds. */
  readonly at: number;
  /** Positive weight (a purchase counts more than a view). */
  readonly weight: number;
}

/** log2(2^a + 2^b) without overflowing: keys are in the thousands (epoch / half-life). */
export function logSumExp2(a: number, b: number): number {
  const high = Math.max(a, b);
  return high + Math.log2(1 + 2 ** -Math.abs(a - b));
}

export function signalKey(signal: WeightedSignal, halfLifeMs: number): number {
  return Math.log2(signal.weight) + signal.at / halfLifeMs;
}

export function addToTrendingKey(key: number | null, signal: WeightedSignal, halfLifeMs: number): number {
  const added = signalKey(signal, halfLifeMs);
  return key === null ? added : logSumExp2(key, added);
}

export function trendingScoreAt(key: number, now: number, halfLifeMs: number): number {
  return 2 ** (key - now / halfLifeMs);
}
