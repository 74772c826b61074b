import { topScored } from './ranking.js';
import type { ProductId, ScoredProduct } from './types.js';

export interface TimedSignal {
  readonly productId: ProductId;
  /** Epoch milliseconds. */
  readonly at: number;
  readonly weight: number;
}

/** 1 now, ½ one half-life ago, ¼ two half-lives ago. Future timestamps (clock skew) count as now. */
export function decayFactor(ageMs: number, halfLifeMs: number): number {
  return 2 ** (-Math.max(0, ageMs) / halfLifeMs);
}

/** Σ weight · decay(now − at) per product: what sells now, not what sold most last year. */
export function trendingScores(
  signals: Iterable<TimedSignal>,
  now: number,
  halfLifeMs: number,
): Map<ProductId, number> {
  const scores = new Map<ProductId, number>();
  for (const { productId, at, weight } of signals) {
    scores.set(productId, (scores.get(productId) ?? 0) + weight * decayFactor(now - at, halfLifeMs));
  }
  return scores;
}

export function trendingProducts(
  signals: Iterable<TimedSignal>,
  options: { readonly now: number; readonly halfLifeMs: number; readonly limit: number },
): ScoredProduct[] {
  return topScored(trendingScores(signals, options.now, options.halfLifeMs), options.limit);
}

/**
 * The incremental form, for a `(product_id, score, as_of)` row per product: because decay
 * is exponential, a stored score only needs re-decaying to the new signal's time before
 * adding it, giving the same value as `trendingScores` over the whole history.
 */
export interface DecayedScore {
  readonly score: number;
  readonly asOf: number;
}

export function addDecayed(
  previous: DecayedScore | undefined,
  signal: { readonly at: number; readonly weight: number },
  halfLifeMs: number,
): DecayedScore {
  if (!previous) return { score: signal.weight, asOf: signal.at };
  // A late-arriving signal is decayed to the row's time, so as_of never moves backwards.
  if (signal.at < previous.asOf) {
    return {
      score: previous.score + signal.weight * decayFactor(previous.asOf - signal.at, halfLifeMs),
      asOf: previous.asOf,
    };
  }
  return {
    score: previous.score * decayFactor(signal.at - previous.asOf, halfLifeMs) + signal.weight,
    asOf: signal.at,
  };
}

export function decayedScoreAt(stored: DecayedScore, now: number, halfLifeMs: number): number {
  return stored.score * decayFactor(now - stored.asOf, halfLifeMs);
}
