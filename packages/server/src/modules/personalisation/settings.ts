import { DEFAULT_SETTINGS } from './algorithms/index.js';
import type { InteractionKind } from './tables.js';

/** The recommender knobs the service runs with (documented in docs/personalisation.md). */
export const SETTINGS = DEFAULT_SETTINGS;

/** Neighbours kept per product in `recs_neighbours`. */
export const NEIGHBOURS_PER_PRODUCT = 50;

/** What each stored interaction says about interest, for trending and for_you. */
export const INTERACTION_WEIGHTS: Partial<Record<InteractionKind, number>> = {
  product_view: SETTINGS.forYou.kindWeights.view,
  add_to_cart: SETTINGS.forYou.kindWeights.cart,
  purchase: SETTINGS.forYou.kindWeights.purchase,
};

/** for_you and affinities read at most this much of a shopper's history, newest first. */
export const HISTORY_LIMIT = 200;
