// The pure recommendation core: plain data in, ranked product ids out. No I/O, no database.
export { buildContentIndex, type ContentIndex, type ContentProduct, contentNeighbours } from './content.js';
export {
  basketDelta,
  blendCooccurrence,
  CooccurrenceCounts,
  type CooccurrenceRows,
  type CooccurrenceSource,
  type ItemCountRow,
  type PairCountRow,
} from './cooccurrence.js';
export { cosineNeighbours } from './cosine.js';
export {
  buildBoughtTogetherIndex,
  buildRelatedIndex,
  DEFAULT_SETTINGS,
  type RecommenderSettings,
} from './engine.js';
export { type ForYouOptions, type Interaction, type InteractionKind, recommendForYou } from './for-you.js';
export { type IntentOptions, recommendComplementary, recommendRelated } from './intents.js';
export { type NeighbourRow, neighbourIndexFromRows, neighbourRows } from './neighbour-index.js';
export { popularProducts } from './popularity.js';
export {
  addDecayed,
  type DecayedScore,
  decayedScoreAt,
  type TimedSignal,
  trendingProducts,
} from './trending.js';
export type { NeighbourIndex, ProductId, ScoredProduct } from './types.js';
