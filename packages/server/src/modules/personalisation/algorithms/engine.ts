import { buildContentNeighbourIndex, type ContentIndex } from './content.js';
import { blendCooccurrence, type CooccurrenceSource } from './cooccurrence.js';
import { buildCosineIndex, type CosineOptions } from './cosine.js';
import { buildEaseIndex, type EaseOptions } from './ease.js';
import type { ForYouOptions } from './for-you.js';
import { layerNeighbourIndexes } from './neighbour-index.js';
import type { NeighbourIndex } from './types.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface BoughtTogetherSettings {
  readonly ease: EaseOptions;
  /** For products outside EASE's top `maxItems`, and for pairs bought since the last EASE rebuild. */
  readonly cosine: CosineOptions;
  /** Brings cosine scores (0‥1) to the size of EASE weights, so mixed baskets sum fairly. */
  readonly cosineScale: number;
  /** Content similarity only stands in for products with no purchase history, so it is scaled low. */
  readonly contentScale: number;
}

export interface RelatedSettings {
  /** One co-viewing session counts this much of one co-purchase. */
  readonly viewWeight: number;
  readonly cosine: CosineOptions;
  readonly contentScale: number;
}

export interface RecommenderSettings {
  readonly boughtTogether: BoughtTogetherSettings;
  readonly related: RelatedSettings;
  /** Age at which a purchase counts half towards trending (also the cold-start fallback). */
  readonly trendingHalfLifeMs: number;
  readonly forYou: Omit<ForYouOptions, 'now' | 'limit' | 'fallback'>;
}

export const DEFAULT_SETTINGS: RecommenderSettings = {
  boughtTogether: {
    ease: { lambda: 25, maxItems: 1000, neighbours: 50 },
    cosine: { shrinkage: 2, neighbours: 50 },
    cosineScale: 0.3,
    contentScale: 0.05,
  },
  related: {
    viewWeight: 0.2,
    cosine: { shrinkage: 2, neighbours: 50 },
    contentScale: 0.1,
  },
  trendingHalfLifeMs: 7 * DAY_MS,
  forYou: {
    halfLifeMs: 30 * DAY_MS,
    kindWeights: { view: 0.2, cart: 0.5, purchase: 1 },
    excludePurchased: false,
    ownInterestWeight: 10,
  },
};

/**
 * Serving index for intent=complementary and the cart: EASE where it has a model, shrunk
 * cosine for the long tail, content similarity for products never bought. Rebuilt in batch
 * (EASE costs seconds, not milliseconds); `content` may be omitted when the catalogue has none.
 */
export function buildBoughtTogetherIndex(
  purchases: CooccurrenceSource,
  content: ContentIndex | undefined,
  settings: BoughtTogetherSettings,
): NeighbourIndex {
  return layerNeighbourIndexes([
    { index: buildEaseIndex(purchases, settings.ease), scale: 1 },
    { index: buildCosineIndex(purchases, settings.cosine), scale: settings.cosineScale },
    ...contentLayer(content, settings.cosine.neighbours, settings.contentScale),
  ]);
}

/** Serving index for intent=related: cosine over co-purchases + weighted co-views, then content. */
export function buildRelatedIndex(
  purchases: CooccurrenceSource,
  views: CooccurrenceSource,
  content: ContentIndex | undefined,
  settings: RelatedSettings,
): NeighbourIndex {
  const together = blendCooccurrence([
    { source: purchases, weight: 1 },
    { source: views, weight: settings.viewWeight },
  ]);
  return layerNeighbourIndexes([
    { index: buildCosineIndex(together, settings.cosine), scale: 1 },
    ...contentLayer(content, settings.cosine.neighbours, settings.contentScale),
  ]);
}

function contentLayer(content: ContentIndex | undefined, neighbours: number, scale: number) {
  return content ? [{ index: buildContentNeighbourIndex(content, neighbours), scale }] : [];
}
