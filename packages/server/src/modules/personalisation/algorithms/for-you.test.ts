import { describe, expect, it } from 'vitest';
import { type ForYouOptions, type Interaction, interestWeights, recommendForYou } from './for-you.js';
import type { NeighbourIndex } from './types.js';

const DAY = 86_400_000;
const NOW = 1_000 * DAY;

const options: ForYouOptions = {
  now: NOW,
  halfLifeMs: 10 * DAY,
  kindWeights: { view: 0.2, cart: 0.5, purchase: 1 },
  excludePurchased: false,
  ownInterestWeight: 0,
  limit: 3,
  fallback: [
    { productId: 'trend-1', score: 5 },
    { productId: 'trend-2', score: 4 },
    { productId: 'trend-3', score: 3 },
  ],
};

const index: NeighbourIndex = new Map([
  ['tent', [{ productId: 'sleeping-bag', score: 0.5 }]],
  ['guitar', [{ productId: 'strings', score: 0.5 }]],
  [
    'sleeping-bag',
    [
      { productId: 'tent', score: 0.4 },
      { productId: 'mat', score: 0.3 },
    ],
  ],
]);

describe('interestWeights', () => {
  it('weights by interaction kind and halves per half-life of age', () => {
    const history: Interaction[] = [
      { productId: 'tent', kind: 'purchase', at: NOW - 10 * DAY },
      { productId: 'tent', kind: 'view', at: NOW },
      { productId: 'guitar', kind: 'cart', at: NOW - 20 * DAY },
    ];
    const interest = interestWeights(history, options);
    expect(interest.get('tent')).toBeCloseTo(0.5 + 0.2);
    expect(interest.get('guitar')).toBeCloseTo(0.5 / 4);
  });
});

describe('recommendForYou', () => {
  it('follows the recent and strong interests first', () => {
    const history: Interaction[] = [
      { productId: 'guitar', kind: 'view', at: NOW - 60 * DAY },
      { productId: 'tent', kind: 'purchase', at: NOW - DAY },
    ];
    const ranked = recommendForYou(index, history, options);
    expect(ranked.map((r) => r.productId)).toEqual(['sleeping-bag', 'strings', 'trend-1']);
  });

  it('lets a purchased product come back unless purchases are excluded', () => {
    const history: Interaction[] = [
      { productId: 'tent', kind: 'purchase', at: NOW },
      { productId: 'sleeping-bag', kind: 'view', at: NOW },
    ];
    const again = recommendForYou(index, history, options).map((r) => r.productId);
    expect(again.slice(0, 2)).toEqual(['sleeping-bag', 'tent']);

    const durable = recommendForYou(index, history, { ...options, excludePurchased: true }).map(
      (r) => r.productId,
    );
    expect(durable).toEqual(['sleeping-bag', 'mat', 'trend-1']);
  });

  it('adds own interest so an abandoned cart or a staple is offered again', () => {
    const history: Interaction[] = [{ productId: 'guitar', kind: 'cart', at: NOW }];
    expect(recommendForYou(index, history, options).map((r) => r.productId)[0]).toBe('strings');
    const ranked = recommendForYou(index, history, { ...options, ownInterestWeight: 2 });
    expect(ranked.slice(0, 2)).toEqual([
      { productId: 'guitar', score: 1 },
      { productId: 'strings', score: 0.25 },
    ]);
  });

  it('falls back to trending for a shopper without history', () => {
    expect(recommendForYou(index, [], options).map((r) => r.productId)).toEqual([
      'trend-1',
      'trend-2',
      'trend-3',
    ]);
  });
});
