import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Interaction } from '../algorithms/for-you.js';
import type { TrainedRecommender } from './contenders.js';
import type { Basket } from './dataset.js';
import { RankingMetrics, ServingCost } from './metrics.js';
import type { NextBasketCase } from './splits.js';

export const TOP_K = 10;

// Trials are CPU-bound; yielding now and then lets a progress bar (or a server) breathe.
const TRIALS_PER_YIELD = 200;

export interface ProtocolResult {
  readonly metrics: RankingMetrics;
  readonly serving: ServingCost;
}

/** Hide-one trials a basket yields: one per distinct product, if it has at least two. */
export function completionTrials(basket: Basket): number {
  return basket.productIds.length >= 2 ? basket.productIds.length : 0;
}

/**
 * Basket completion: each product of each test basket is hidden in turn, and the rest of the
 * basket must bring it back in the top k. One relevant product per trial, so NDCG is 1/log₂(rank+2).
 */
export async function evaluateBasketCompletion(
  recommender: TrainedRecommender,
  testBaskets: readonly Basket[],
  onTrial: () => void,
): Promise<ProtocolResult> {
  const metrics = new RankingMetrics(TOP_K);
  const serving = new ServingCost();
  for (const basket of testBaskets) {
    if (completionTrials(basket) === 0) continue;
    for (const hidden of basket.productIds) {
      const rest = basket.productIds.filter((productId) => productId !== hidden);
      const ranked = serving
        .time(() => recommender.completeBasket(rest, TOP_K))
        .map((item) => item.productId);
      metrics.add(ranked, new Set([hidden]));
      onTrial();
      if (metrics.cases % TRIALS_PER_YIELD === 0) await yieldToEventLoop();
    }
  }
  return { metrics, serving };
}

/** Next basket: the customer's earlier purchases must predict at least one product of their last basket. */
export async function evaluateNextBasket(
  recommender: TrainedRecommender,
  cases: readonly NextBasketCase[],
  onCase: () => void,
): Promise<ProtocolResult> {
  const metrics = new RankingMetrics(TOP_K);
  const serving = new ServingCost();
  for (const { history, target } of cases) {
    const interactions: Interaction[] = history.flatMap((basket) =>
      basket.productIds.map((productId) => ({ productId, kind: 'purchase' as const, at: basket.at })),
    );
    const ranked = serving
      .time(() => recommender.forYou(interactions, target.at, TOP_K))
      .map((item) => item.productId);
    metrics.add(ranked, new Set(target.productIds));
    onCase();
    if (metrics.cases % TRIALS_PER_YIELD === 0) await yieldToEventLoop();
  }
  return { metrics, serving };
}
