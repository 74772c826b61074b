import type { Executor } from '../../db/database.js';
import { getChannel } from '../channels/service.js';
import { getConsent } from '../customers/index.js';
import type { Affinities, Shopper } from '../search/index.js';
import type { Interaction, InteractionKind } from './algorithms/index.js';
import { productFacts } from './catalog-facts.js';
import { shopperHistory } from './history.js';
import { fromPrices } from './sellable.js';
import { SETTINGS } from './settings.js';

export interface AffinityFacts {
  categoryIds: readonly string[];
  attributePairs: readonly string[];
  /** From-price in minor units; null when unpriced. */
  price: number | null;
}

export interface LearnOptions {
  now: number;
  halfLifeMs: number;
  kindWeights: Readonly<Record<InteractionKind, number>>;
}

/** Price band: the middle of what the shopper looks at and buys, widened by this much each side. */
const BAND_SLACK = 0.2;

function normalised(weights: Map<string, number>): Record<string, number> {
  const top = Math.max(0, ...weights.values());
  const result: Record<string, number> = {};
  if (top <= 0) return result;
  for (const [key, weight] of weights) result[key] = weight / top;
  return result;
}

function weightedQuantile(points: readonly { value: number; weight: number }[], q: number): number {
  const sorted = [...points].sort((a, b) => a.value - b.value);
  const total = sorted.reduce((sum, p) => sum + p.weight, 0);
  let running = 0;
  for (const point of sorted) {
    running += point.weight;
    if (running >= q * total) return point.value;
  }
  return sorted[sorted.length - 1].value;
}

/**
 * What a shopper tends to like, from their own interactions: interest per product is
 * Σ kind weight × 2^(−age / half-life) (a purchase says more than a view, an old view fades);
 * a category's or attribute's affinity is the interest of the products carrying it, scaled so
 * the strongest is 1; the price band spans the 20th to 80th interest-weighted percentile of the
 * products' prices, widened by 20 %. Pure; null without any history.
 */
export function learnAffinities(
  history: readonly Interaction[],
  facts: ReadonlyMap<string, AffinityFacts>,
  options: LearnOptions,
): Affinities | null {
  const interest = new Map<string, number>();
  for (const { productId, kind, at } of history) {
    const decay = 2 ** (-Math.max(0, options.now - at) / options.halfLifeMs);
    interest.set(productId, (interest.get(productId) ?? 0) + options.kindWeights[kind] * decay);
  }
  const categories = new Map<string, number>();
  const attributes = new Map<string, number>();
  const prices: { value: number; weight: number }[] = [];
  for (const [productId, weight] of interest) {
    const product = facts.get(productId);
    if (!product || !(weight > 0)) continue;
    for (const id of product.categoryIds) categories.set(id, (categories.get(id) ?? 0) + weight);
    for (const pair of product.attributePairs) attributes.set(pair, (attributes.get(pair) ?? 0) + weight);
    if (product.price !== null) prices.push({ value: product.price, weight });
  }
  if (categories.size === 0 && attributes.size === 0 && prices.length === 0) return null;
  return {
    categories: normalised(categories),
    attributes: normalised(attributes),
    priceBand:
      prices.length === 0
        ? null
        : {
            low: Math.floor(weightedQuantile(prices, 0.2) * (1 - BAND_SLACK)),
            high: Math.ceil(weightedQuantile(prices, 0.8) * (1 + BAND_SLACK)),
          },
  };
}

// Search asks on every personalised page; a shopper's taste does not change within a minute.
const CACHE_MS = 60_000;
const CACHE_MAX = 10_000;
const cache = new Map<string, { value: Affinities | null; expires: number }>();

/** Forget cached affinities (after a shopper's data was deleted). */
export function forgetAffinities(): void {
  cache.clear();
}

/** The `AffinitySource` search calls for `sort=personalised`. */
export async function shopperAffinities(db: Executor, shopper: Shopper): Promise<Affinities | null> {
  const key = `${shopper.channelId}|${shopper.customerId ?? ''}|${shopper.visitorId ?? ''}`;
  const cached = cache.get(key);
  if (cached && cached.expires > Date.now()) return cached.value;
  const value = await computeAffinities(db, shopper);
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(key, { value, expires: Date.now() + CACHE_MS });
  return value;
}

async function computeAffinities(db: Executor, shopper: Shopper): Promise<Affinities | null> {
  if (shopper.customerId && !(await getConsent(db, shopper.customerId)).personalisation) return null;
  const history = await shopperHistory(db, shopper);
  if (history.length === 0) return null;
  const productIds = [...new Set(history.map((event) => event.productId))];
  const channel = await getChannel(db, shopper.channelId);
  const [facts, prices] = await Promise.all([
    productFacts(db, productIds),
    fromPrices(db, productIds, {
      channelId: shopper.channelId,
      currency: channel.default_currency,
      customerGroupIds: [],
      segmentIds: [],
    }),
  ]);
  return learnAffinities(
    history,
    new Map(
      facts.map((fact) => [
        fact.productId,
        {
          categoryIds: fact.categoryIds,
          attributePairs: fact.attributePairs,
          price: prices.get(fact.productId) ?? null,
        },
      ]),
    ),
    { now: Date.now(), halfLifeMs: SETTINGS.forYou.halfLifeMs, kindWeights: SETTINGS.forYou.kindWeights },
  );
}
