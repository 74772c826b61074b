import { buildContentIndex } from '../algorithms/content.js';
import { CooccurrenceCounts } from '../algorithms/cooccurrence.js';
import { buildCosineIndex } from '../algorithms/cosine.js';
import {
  type BoughtTogetherSettings,
  buildBoughtTogetherIndex,
  type RecommenderSettings,
} from '../algorithms/engine.js';
import { type Interaction, recommendForYou } from '../algorithms/for-you.js';
import { recommendComplementary } from '../algorithms/intents.js';
import { popularProducts } from '../algorithms/popularity.js';
import { fillFrom } from '../algorithms/ranking.js';
import { trendingProducts } from '../algorithms/trending.js';
import type { NeighbourIndex, ProductId, ScoredProduct } from '../algorithms/types.js';
import type { Basket } from './dataset.js';

export interface TrainingData {
  readonly baskets: readonly Basket[];
  /** The catalogue: every product's title, sold in the training period or not. */
  readonly titles: ReadonlyMap<ProductId, string>;
}

/** The two questions the evaluation asks, answered the way the engine's intents answer them. */
export interface TrainedRecommender {
  completeBasket(basket: readonly ProductId[], limit: number): readonly ScoredProduct[];
  forYou(history: readonly Interaction[], now: number, limit: number): readonly ScoredProduct[];
}

export interface Contender {
  readonly name: string;
  train(data: TrainingData): TrainedRecommender;
}

export function contenders(settings: RecommenderSettings): Contender[] {
  const withoutEase: BoughtTogetherSettings = {
    ...settings.boughtTogether,
    ease: { ...settings.boughtTogether.ease, maxItems: 0 },
  };
  return [
    { name: 'popularity', train: trainPopularity },
    {
      name: 'item-kNN (plain cosine)',
      train: (data) => {
        const counts = countBaskets(data.baskets);
        const index = buildCosineIndex(counts, { shrinkage: 0, neighbours: Number.POSITIVE_INFINITY });
        return neighbourRecommender(index, popularProducts(counts, Number.POSITIVE_INFINITY), settings);
      },
    },
    { name: 'engine, counts only (no EASE)', train: (data) => trainEngine(data, withoutEase, settings) },
    { name: 'engine', train: (data) => trainEngine(data, settings.boughtTogether, settings) },
  ];
}

function trainPopularity(data: TrainingData): TrainedRecommender {
  const popular = popularProducts(countBaskets(data.baskets), Number.POSITIVE_INFINITY);
  return {
    completeBasket: (basket, limit) => fillFrom([], popular, new Set(basket), limit),
    forYou: (_history, _now, limit) => popular.slice(0, limit),
  };
}

function trainEngine(
  data: TrainingData,
  boughtTogether: BoughtTogetherSettings,
  settings: RecommenderSettings,
): TrainedRecommender {
  const content = buildContentIndex([...data.titles].map(([productId, title]) => ({ productId, title })));
  const index = buildBoughtTogetherIndex(countBaskets(data.baskets), content, boughtTogether);
  const trainingEnd = data.baskets.reduce((latest, basket) => Math.max(latest, basket.at), 0);
  const trending = trendingProducts(
    data.baskets.flatMap((basket) =>
      basket.productIds.map((productId) => ({ productId, at: basket.at, weight: 1 })),
    ),
    { now: trainingEnd, halfLifeMs: settings.trendingHalfLifeMs, limit: Number.POSITIVE_INFINITY },
  );
  return neighbourRecommender(index, trending, settings);
}

function neighbourRecommender(
  index: NeighbourIndex,
  fallback: readonly ScoredProduct[],
  settings: RecommenderSettings,
): TrainedRecommender {
  return {
    completeBasket: (basket, limit) => recommendComplementary(index, basket, { limit, fallback }),
    forYou: (history, now, limit) =>
      recommendForYou(index, history, { ...settings.forYou, now, limit, fallback }),
  };
}

function countBaskets(baskets: readonly Basket[]): CooccurrenceCounts {
  const counts = new CooccurrenceCounts();
  for (const basket of baskets) counts.addBasket(basket.productIds);
  return counts;
}
