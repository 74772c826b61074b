import { describe, expect, it } from 'vitest';
import { buildContentIndex } from './content.js';
import { CooccurrenceCounts } from './cooccurrence.js';
import { buildBoughtTogetherIndex, buildRelatedIndex, DEFAULT_SETTINGS } from './engine.js';
import { recommendComplementary, recommendRelated } from './intents.js';

function countsOf(baskets: readonly (readonly string[])[]): CooccurrenceCounts {
  const counts = new CooccurrenceCounts();
  for (const basket of baskets) counts.addBasket(basket);
  return counts;
}

const repeat = (times: number, basket: readonly string[]) => Array.from({ length: times }, () => basket);

// A small shop with a known answer: cameras go with memory cards, tents with pegs; a
// rarely bought lens sits outside the EASE model; the new camera has never been sold.
const purchases = countsOf([
  ...repeat(8, ['camera', 'memory-card']),
  ...repeat(3, ['camera', 'memory-card', 'tripod']),
  ...repeat(6, ['tent', 'pegs']),
  ...repeat(2, ['tent', 'pegs', 'lantern']),
  ...repeat(5, ['memory-card']),
  ['lens', 'tripod'],
]);
const content = buildContentIndex([
  { productId: 'camera', title: 'Compact digital camera', categories: ['photo'] },
  { productId: 'camera-2', title: 'Compact digital camera mark II', categories: ['photo'] },
  { productId: 'memory-card', title: 'Memory card 64 GB', categories: ['photo'] },
  { productId: 'tripod', title: 'Travel tripod', categories: ['photo'] },
  { productId: 'lens', title: 'Zoom lens', categories: ['photo'] },
  { productId: 'tent', title: 'Two person tent', categories: ['outdoor'] },
  { productId: 'pegs', title: 'Tent pegs', categories: ['outdoor'] },
  { productId: 'lantern', title: 'Camping lantern', categories: ['outdoor'] },
]);
const settings = {
  ...DEFAULT_SETTINGS.boughtTogether,
  ease: { ...DEFAULT_SETTINGS.boughtTogether.ease, lambda: 1, maxItems: 6 },
};
const none = { limit: 2, fallback: [] };

describe('buildBoughtTogetherIndex', () => {
  const index = buildBoughtTogetherIndex(purchases, content, settings);

  it('completes a basket with what is bought with it', () => {
    expect(recommendComplementary(index, ['camera'], none)[0].productId).toBe('memory-card');
    expect(recommendComplementary(index, ['tent'], none)[0].productId).toBe('pegs');
    expect(recommendComplementary(index, ['tent', 'pegs'], none)[0].productId).toBe('lantern');
  });

  it('serves long-tail products from the cosine layer and never-sold ones from content', () => {
    expect(index.get('lens')?.map((n) => n.productId)).toEqual(['tripod']);
    expect(index.get('lens')?.[0].score).toBeCloseTo(
      settings.cosineScale * (1 / Math.sqrt(1 * 4)) * (1 / (1 + settings.cosine.shrinkage)),
    );
    expect(purchases.itemCount('camera-2')).toBe(0);
    expect(recommendComplementary(index, ['camera-2'], none)[0].productId).toBe('camera');
  });
});

describe('buildRelatedIndex', () => {
  it('counts co-views at their weight, so browsing alternatives makes them related', () => {
    const views = countsOf(repeat(60, ['tent', 'tent-xl']));
    const related = buildRelatedIndex(purchases, views, content, DEFAULT_SETTINGS.related);
    expect(recommendRelated(related, 'tent-xl', none)[0].productId).toBe('tent');
    expect(recommendRelated(related, 'tent', { limit: 2, fallback: [] }).map((r) => r.productId)).toEqual([
      'tent-xl',
      'pegs',
    ]);

    const purchasesOnly = buildRelatedIndex(purchases, views, content, {
      ...DEFAULT_SETTINGS.related,
      viewWeight: 0,
    });
    expect(recommendRelated(purchasesOnly, 'tent', none)[0].productId).toBe('pegs');
  });
});
