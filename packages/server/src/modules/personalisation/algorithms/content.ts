import { compareScored } from './ranking.js';
import type { NeighbourIndex, ProductId, ScoredProduct } from './types.js';

export interface ContentProduct {
  readonly productId: ProductId;
  readonly title?: string;
  readonly categories?: readonly string[];
  readonly attributes?: Readonly<Record<string, string | readonly string[]>>;
}

/** How much a shared feature of each kind counts, before its IDF. */
export interface ContentWeights {
  readonly title: number;
  readonly category: number;
  readonly attribute: number;
}

export const DEFAULT_CONTENT_WEIGHTS: ContentWeights = { title: 1, category: 2, attribute: 1 };

/** Unit-length TF-IDF vectors plus the inverted index that finds products sharing a feature. */
export interface ContentIndex {
  readonly vectors: ReadonlyMap<ProductId, ReadonlyMap<string, number>>;
  readonly postings: ReadonlyMap<string, readonly ProductId[]>;
}

/**
 * TF-IDF over a product's features (title tokens, categories, attribute key=value pairs),
 * binary term frequency because titles are short. IDF = ln(N / df) makes a shared rare
 * feature ("ceramic") count more than a shared common one ("set"); a feature every product
 * has weighs nothing.
 */
export function buildContentIndex(
  products: readonly ContentProduct[],
  weights: ContentWeights = DEFAULT_CONTENT_WEIGHTS,
): ContentIndex {
  const featuresByProduct = new Map(
    products.map((product) => [product.productId, featuresOf(product, weights)]),
  );
  const postings = new Map<string, ProductId[]>();
  for (const [productId, features] of featuresByProduct) {
    for (const feature of features.keys()) {
      const holders = postings.get(feature);
      if (holders) holders.push(productId);
      else postings.set(feature, [productId]);
    }
  }
  const vectors = new Map<ProductId, ReadonlyMap<string, number>>();
  for (const [productId, features] of featuresByProduct) {
    const vector = new Map<string, number>();
    for (const [feature, kindWeight] of features) {
      const idf = Math.log(featuresByProduct.size / postings.get(feature)!.length);
      if (idf > 0) vector.set(feature, kindWeight * idf);
    }
    const norm = Math.hypot(...vector.values());
    for (const [feature, value] of vector) vector.set(feature, value / norm);
    vectors.set(productId, vector);
  }
  return { vectors, postings };
}

/** Products ranked by cosine similarity of their feature vectors to `productId`'s. */
export function contentNeighbours(index: ContentIndex, productId: ProductId, limit: number): ScoredProduct[] {
  const vector = index.vectors.get(productId);
  if (!vector) return [];
  const similarity = new Map<ProductId, number>();
  for (const [feature, value] of vector) {
    for (const other of index.postings.get(feature) ?? []) {
      if (other === productId) continue;
      const otherValue = index.vectors.get(other)!.get(feature) ?? 0;
      similarity.set(other, (similarity.get(other) ?? 0) + value * otherValue);
    }
  }
  return [...similarity]
    .map(([other, score]) => ({ productId: other, score }))
    .sort(compareScored)
    .slice(0, limit);
}

export function buildContentNeighbourIndex(index: ContentIndex, limit: number): NeighbourIndex {
  const neighbours = new Map<ProductId, readonly ScoredProduct[]>();
  for (const productId of index.vectors.keys()) {
    const list = contentNeighbours(index, productId, limit);
    if (list.length > 0) neighbours.set(productId, list);
  }
  return neighbours;
}

function featuresOf(product: ContentProduct, weights: ContentWeights): Map<string, number> {
  const features = new Map<string, number>();
  for (const token of titleTokens(product.title ?? '')) features.set(`title:${token}`, weights.title);
  for (const category of product.categories ?? []) features.set(`category:${category}`, weights.category);
  for (const [key, value] of Object.entries(product.attributes ?? {})) {
    for (const single of typeof value === 'string' ? [value] : value) {
      features.set(`attribute:${key}=${single.toLowerCase()}`, weights.attribute);
    }
  }
  return features;
}

/** Lower-cased letter/digit runs of two or more characters; underscores and punctuation separate. */
export function titleTokens(title: string): string[] {
  return [...new Set(title.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? [])];
}
