import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { learnAffinities } from './affinities.js';
import { basketDelta, CooccurrenceCounts, trendingProducts } from './algorithms/index.js';
import { viewDayDelta } from './counts.js';
import { strongestSeeds } from './explain.js';
import { addToTrendingKey, trendingScoreAt } from './trending-key.js';

const DAY = 24 * 3600 * 1000;
const HALF_LIFE = 7 * DAY;
const NOW = Date.UTC(2026, 0, 31);

describe('trending keys', () => {
  it('give today’s decayed popularity, in any arrival order, and order products by it', () => {
    const signal = fc.record({
      productId: fc.constantFrom('a', 'b', 'c'),
      at: fc.integer({ min: NOW - 120 * DAY, max: NOW }),
      weight: fc.constantFrom(0.2, 0.5, 1),
    });
    fc.assert(
      fc.property(fc.array(signal, { minLength: 1, maxLength: 40 }), (signals) => {
        const keys = new Map<string, number>();
        for (const s of signals)
          keys.set(s.productId, addToTrendingKey(keys.get(s.productId) ?? null, s, HALF_LIFE));
        const expected = trendingProducts(signals, { now: NOW, halfLifeMs: HALF_LIFE, limit: 3 });
        for (const { productId, score } of expected)
          expect(trendingScoreAt(keys.get(productId)!, NOW, HALF_LIFE)).toBeCloseTo(score, 9);
        const byKey = [...keys].sort((x, y) => y[1] - x[1]).map(([id]) => id);
        const byScore = expected.map((item) => item.productId);
        // Equal scores may tie either way; otherwise the key order is the score order.
        for (let i = 0; i + 1 < byScore.length; i++)
          if (expected[i].score - expected[i + 1].score > 1e-9)
            expect(byKey.indexOf(byScore[i])).toBeLessThan(byKey.indexOf(byScore[i + 1]));
      }),
    );
  });
});

describe('co-view day baskets', () => {
  it('counted one request at a time equal the whole day counted at once', () => {
    const product = fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5');
    fc.assert(
      fc.property(fc.array(fc.array(product, { maxLength: 4 }), { maxLength: 6 }), (requests) => {
        const incremental = new CooccurrenceCounts();
        const seen: string[] = [];
        for (const request of requests) {
          incremental.apply(viewDayDelta(seen, request));
          for (const id of request) if (!seen.includes(id)) seen.push(id);
        }
        const whole = CooccurrenceCounts.fromRows(basketDelta(requests.flat()));
        const sortRows = (counts: CooccurrenceCounts) => {
          const rows = counts.toRows();
          return {
            totalBaskets: rows.totalBaskets,
            items: [...rows.items].sort((x, y) => (x.productId < y.productId ? -1 : 1)),
            pairs: [...rows.pairs].sort((x, y) =>
              `${x.productA}${x.productB}`.localeCompare(`${y.productA}${y.productB}`),
            ),
          };
        };
        expect(sortRows(incremental)).toEqual(sortRows(whole));
      }),
    );
  });
});

describe('reasons', () => {
  it('name the seed that contributed most to each recommendation', () => {
    const index = new Map([
      [
        'machine',
        [
          { productId: 'beans', score: 0.9 },
          { productId: 'jug', score: 0.2 },
        ],
      ],
      ['cups', [{ productId: 'jug', score: 0.5 }]],
    ]);
    const seeds = strongestSeeds(
      index,
      new Map([
        ['machine', 1],
        ['cups', 1],
      ]),
    );
    expect(seeds).toEqual(
      new Map([
        ['beans', 'machine'],
        ['jug', 'cups'],
      ]),
    );
  });
});

describe('affinities', () => {
  const facts = new Map([
    ['shoe', { categoryIds: ['running'], attributePairs: ['brand:Fleet'], price: 9000 }],
    ['sock', { categoryIds: ['running', 'socks'], attributePairs: ['brand:Fleet'], price: 1000 }],
    ['tent', { categoryIds: ['camping'], attributePairs: ['brand:Peak'], price: 30000 }],
  ]);
  const options = { now: NOW, halfLifeMs: 30 * DAY, kindWeights: { view: 0.2, cart: 0.5, purchase: 1 } };

  it('weigh what was bought over what was glanced at, scaled so the strongest is 1', () => {
    const affinities = learnAffinities(
      [
        { productId: 'shoe', kind: 'purchase', at: NOW },
        { productId: 'sock', kind: 'cart', at: NOW },
        { productId: 'tent', kind: 'view', at: NOW },
      ],
      facts,
      options,
    )!;
    expect(affinities.categories.running).toBe(1);
    expect(affinities.categories.socks).toBeCloseTo(0.5 / 1.5);
    expect(affinities.categories.camping).toBeCloseTo(0.2 / 1.5);
    expect(affinities.attributes['brand:Fleet']).toBe(1);
    expect(affinities.priceBand).toEqual({ low: 800, high: 10800 });
  });

  it('fade with age, and are null without history', () => {
    const old = learnAffinities(
      [
        { productId: 'tent', kind: 'purchase', at: NOW - 120 * DAY },
        { productId: 'shoe', kind: 'view', at: NOW },
      ],
      facts,
      options,
    )!;
    // 1 × 2^-4 = 0.0625 < 0.2: the recent view now leads.
    expect(old.categories.running).toBe(1);
    expect(old.categories.camping).toBeCloseTo(0.0625 / 0.2);
    expect(learnAffinities([], facts, options)).toBeNull();
  });
});
