import { describe, expect, it } from 'vitest';
import {
  evaluatePromotions,
  type Promotion,
  type PromotionCartLine,
  type PromotionContext,
  promotionProblems,
} from './engine.js';

function line(lineId: string, unitPrice: number, quantity: number, extra: Partial<PromotionCartLine> = {}) {
  return {
    lineId,
    productId: `prod-${lineId}`,
    categoryIds: [],
    collectionIds: [],
    unitPrice,
    quantity,
    ...extra,
  };
}

const ctx: PromotionContext = {
  now: '2025-06-15T12:00:00Z',
  channelId: 'web',
  currency: 'EUR',
  customerGroupIds: ['vip'],
  segmentIds: ['returning'],
  lines: [
    line('shoes', 5000, 1, { categoryIds: ['footwear'], collectionIds: ['summer'] }),
    line('socks', 500, 4, { categoryIds: ['accessories'] }),
    line('hat', 1500, 2, { categoryIds: ['accessories'], collectionIds: ['summer'] }),
  ],
  codes: [],
};
// subtotal: 5000 + 2000 + 3000 = 10 000

function promo(overrides: Partial<Promotion> & Pick<Promotion, 'id'>): Promotion {
  return {
    code: null,
    kind: 'percentage',
    value: 1000,
    target: { type: 'order' },
    conditions: {},
    ...overrides,
  };
}

const totalDiscount = (promotions: Promotion[], context: PromotionContext = ctx) =>
  evaluatePromotions(promotions, context).applied.reduce((sum, a) => sum + a.amount, 0);

describe('percentage promotions', () => {
  it('discounts the whole order, prorated by line subtotal', () => {
    const { applied } = evaluatePromotions([promo({ id: 'p', value: 1500 })], ctx);
    expect(applied).toEqual([
      {
        promotionId: 'p',
        code: null,
        amount: 1500,
        lineAllocations: { shoes: 750, socks: 300, hat: 450 },
      },
    ]);
  });

  it('rounds once on the eligible total, not per line', () => {
    const cart = { ...ctx, lines: [line('a', 5, 1), line('b', 5, 1), line('c', 5, 1)] };
    // 10% of 15 = 1.5 -> 2; per-line rounding would have given 3 × round(0.5) = 3
    const { applied } = evaluatePromotions([promo({ id: 'p', value: 1000 })], cart);
    expect(applied[0]?.amount).toBe(2);
    expect(applied[0]?.lineAllocations).toEqual({ a: 1, b: 1 });
  });

  it('targets products', () => {
    const target = { type: 'products', productIds: ['prod-hat'] } as const;
    const { applied } = evaluatePromotions([promo({ id: 'p', value: 2000, target })], ctx);
    expect(applied[0]?.lineAllocations).toEqual({ hat: 600 });
  });

  it('targets categories', () => {
    const target = { type: 'categories', categoryIds: ['accessories'] } as const;
    const { applied } = evaluatePromotions([promo({ id: 'p', value: 1000, target })], ctx);
    expect(applied[0]?.lineAllocations).toEqual({ socks: 200, hat: 300 });
  });

  it('targets collections', () => {
    const target = { type: 'collections', collectionIds: ['summer'] } as const;
    const { applied } = evaluatePromotions([promo({ id: 'p', value: 1000, target })], ctx);
    expect(applied[0]?.lineAllocations).toEqual({ shoes: 500, hat: 300 });
  });

  it('gives 100% off at most the line value', () => {
    expect(totalDiscount([promo({ id: 'p', value: 10_000 })])).toBe(10_000);
  });
});

describe('fixed promotions', () => {
  const fixed = (overrides: Partial<Promotion> & Pick<Promotion, 'id'>) =>
    promo({ kind: 'fixed', value: 1000, conditions: { currency: 'EUR' }, ...overrides });

  it('prorates an order amount across lines with largest remainder', () => {
    const { applied } = evaluatePromotions([fixed({ id: 'f', value: 1001 })], ctx);
    expect(applied[0]?.amount).toBe(1001);
    expect(applied[0]?.lineAllocations).toEqual({ shoes: 501, socks: 200, hat: 300 });
  });

  it('never discounts more than the eligible lines are worth', () => {
    const target = { type: 'products', productIds: ['prod-socks'] } as const;
    const { applied } = evaluatePromotions([fixed({ id: 'f', value: 999_999, target })], ctx);
    expect(applied[0]).toMatchObject({ amount: 2000, lineAllocations: { socks: 2000 } });
  });

  it('only applies in its currency', () => {
    const code = fixed({ id: 'f', code: 'TENOFF' });
    const result = evaluatePromotions([code], { ...ctx, currency: 'USD', codes: ['tenoff'] });
    expect(result.applied).toEqual([]);
    expect(result.rejectedCodes).toEqual([{ code: 'tenoff', reason: 'currency' }]);
  });

  it('is invalid without a currency', () => {
    expect(promotionProblems(promo({ id: 'f', kind: 'fixed', value: 100 }))).toContain(
      'fixed promotions need conditions.currency',
    );
    expect(() => evaluatePromotions([promo({ id: 'f', kind: 'fixed', value: 100 })], ctx)).toThrow(
      RangeError,
    );
  });

  it('goes after percentages so it is not wasted on lines already made free', () => {
    const freeShoes = promo({
      id: 'z-free-shoes',
      value: 10_000,
      combinable: true,
      target: { type: 'products', productIds: ['prod-shoes'] },
    });
    const tenOff = fixed({ id: 'a-ten-off', value: 1000, combinable: true, priority: 100 });
    const { applied } = evaluatePromotions([tenOff, freeShoes], ctx);
    expect(applied.map((a) => a.promotionId)).toEqual(['z-free-shoes', 'a-ten-off']);
    expect(applied[1]).toMatchObject({ amount: 1000, lineAllocations: { socks: 400, hat: 600 } });
  });
  it('moves an earlier amount to other lines rather than waste a later one', () => {
    const cart = { ...ctx, lines: [line('a', 100, 1), line('b', 100, 1)] };
    const orderWide = fixed({ id: 'order-wide', value: 100, priority: 1, combinable: true });
    const onlyA = fixed({
      id: 'only-a',
      value: 100,
      combinable: true,
      target: { type: 'products', productIds: ['prod-a'] },
    });
    // Proration alone would give order-wide 50/50 and leave only-a 50 short.
    const { applied } = evaluatePromotions([onlyA, orderWide], cart);
    expect(applied).toEqual([
      { promotionId: 'order-wide', code: null, amount: 100, lineAllocations: { b: 100 } },
      { promotionId: 'only-a', code: null, amount: 100, lineAllocations: { a: 100 } },
    ]);
  });

  it('rebalances along longer chains of grants', () => {
    const cart = { ...ctx, lines: [line('a', 100, 1), line('b', 100, 1), line('c', 100, 1)] };
    const onProducts = (id: string, productIds: string[], priority: number) =>
      fixed({ id, value: 100, priority, combinable: true, target: { type: 'products', productIds } });
    const promotions = [
      onProducts('bc', ['prod-b', 'prod-c'], 3),
      onProducts('ab', ['prod-a', 'prod-b'], 2),
      onProducts('b', ['prod-b'], 1),
    ];
    expect(totalDiscount(promotions, cart)).toBe(300);
  });
});

describe('buy x get y', () => {
  const bxgy = (buyQuantity: number, getQuantity: number, getDiscountBps = 10_000) =>
    promo({ id: 'b', kind: 'buy_x_get_y', value: 0, buyXGetY: { buyQuantity, getQuantity, getDiscountBps } });

  it('makes the cheapest units free', () => {
    // 7 units: shoes 5000, hat 1500 ×2, socks 500 ×4; buy 2 get 1 -> 2 free socks
    const { applied } = evaluatePromotions([bxgy(2, 1)], ctx);
    expect(applied[0]).toMatchObject({ amount: 1000, lineAllocations: { socks: 1000 } });
  });

  it('spills over to the next cheapest line', () => {
    // 7 units, buy 1 get 1 -> 3 discounted units: 3 socks at 50%
    const half = evaluatePromotions([bxgy(1, 1, 5000)], ctx);
    expect(half.applied[0]).toMatchObject({ amount: 750, lineAllocations: { socks: 750 } });
    // buy 1 get 2 -> floor(7/3) × 2 = 4 units: all socks
    const free = evaluatePromotions([bxgy(1, 2)], ctx);
    expect(free.applied[0]).toMatchObject({ amount: 2000, lineAllocations: { socks: 2000 } });
    const more = evaluatePromotions([bxgy(1, 5)], { ...ctx, lines: [...ctx.lines, line('cap', 1200, 5)] });
    // 12 units, groups of 6 -> 10 free: 4 socks, 5 caps, 1 hat
    expect(more.applied[0]).toMatchObject({
      amount: 2000 + 6000 + 1500,
      lineAllocations: { socks: 2000, cap: 6000, hat: 1500 },
    });
  });

  it('only counts units of targeted lines', () => {
    const onHats = {
      ...bxgy(1, 1),
      target: { type: 'categories', categoryIds: ['accessories'] } as const,
    };
    // accessories: 4 socks + 2 hats = 6 units -> 3 cheapest free: 3 socks
    const { applied } = evaluatePromotions([onHats], ctx);
    expect(applied[0]).toMatchObject({ amount: 1500, lineAllocations: { socks: 1500 } });
  });

  it('breaks equal prices by line order', () => {
    const cart = { ...ctx, lines: [line('x', 100, 1), line('y', 100, 1)] };
    const { applied } = evaluatePromotions([bxgy(1, 1)], cart);
    expect(applied[0]?.lineAllocations).toEqual({ x: 100 });
  });

  it('gives nothing below the group size', () => {
    const cart = { ...ctx, lines: [line('x', 100, 2)] };
    expect(evaluatePromotions([bxgy(2, 1)], cart).applied).toEqual([]);
  });

  it('rejects missing or malformed configuration', () => {
    expect(promotionProblems(promo({ id: 'b', kind: 'buy_x_get_y' }))).toEqual([
      'buy_x_get_y promotions need buyXGetY',
    ]);
    expect(promotionProblems(bxgy(0, 1))).toHaveLength(1);
    expect(promotionProblems(bxgy(1, 0))).toHaveLength(1);
    expect(promotionProblems(bxgy(1, 1, 10_001))).toHaveLength(1);
  });
});

describe('conditions and code rejection', () => {
  const coded = (conditions: Promotion['conditions']) => promo({ id: 'c', code: 'SAVE', conditions });
  const reject = (conditions: Promotion['conditions'], context: Partial<PromotionContext> = {}) =>
    evaluatePromotions([coded(conditions)], { ...ctx, codes: ['save'], ...context }).rejectedCodes;

  it('accepts a code case-insensitively and reports the canonical code', () => {
    const { applied, rejectedCodes } = evaluatePromotions([coded({})], { ...ctx, codes: ['  sAvE '] });
    expect(applied[0]).toMatchObject({ promotionId: 'c', code: 'SAVE', amount: 1000 });
    expect(rejectedCodes).toEqual([]);
  });

  it('rejects unknown codes as typed', () => {
    const result = evaluatePromotions([coded({})], { ...ctx, codes: ['NOPE', ' ', 'nope'] });
    expect(result.rejectedCodes).toEqual([{ code: 'NOPE', reason: 'unknown' }]);
  });

  it('applies a code entered twice once', () => {
    const result = evaluatePromotions([coded({})], { ...ctx, codes: ['SAVE', 'save'] });
    expect(result.applied).toHaveLength(1);
  });

  it('ignores coded promotions whose code was not entered', () => {
    expect(evaluatePromotions([coded({})], ctx)).toEqual({ applied: [], rejectedCodes: [] });
  });

  it('honours the start (inclusive) and end (exclusive)', () => {
    expect(reject({ startsAt: '2025-06-15T12:00:01Z' })).toEqual([{ code: 'save', reason: 'not_started' }]);
    expect(reject({ startsAt: '2025-06-15T12:00:00Z' })).toEqual([]);
    expect(reject({ endsAt: '2025-06-15T12:00:00Z' })).toEqual([{ code: 'save', reason: 'expired' }]);
    expect(reject({ endsAt: '2025-06-15T14:00:00+02:00' })).toEqual([{ code: 'save', reason: 'expired' }]);
    expect(reject({ endsAt: '2025-06-16' })).toEqual([]);
  });

  it('checks the channel', () => {
    expect(reject({ channelIds: ['pos'] })).toEqual([{ code: 'save', reason: 'channel' }]);
    expect(reject({ channelIds: ['pos', 'web'] })).toEqual([]);
    expect(reject({ channelIds: [] })).toEqual([]);
  });

  it('checks customer groups and segments', () => {
    expect(reject({ customerGroupIds: ['wholesale'] })).toEqual([{ code: 'save', reason: 'customer' }]);
    expect(reject({ customerGroupIds: ['wholesale', 'vip'] })).toEqual([]);
    expect(reject({ segmentIds: ['new'] })).toEqual([{ code: 'save', reason: 'customer' }]);
    expect(reject({ segmentIds: ['returning'] }, { segmentIds: [] })).toEqual([
      { code: 'save', reason: 'customer' },
    ]);
    expect(reject({ segmentIds: ['returning'], customerGroupIds: ['vip'] })).toEqual([]);
  });

  it('checks the currency', () => {
    expect(reject({ currency: 'usd' })).toEqual([{ code: 'save', reason: 'currency' }]);
    expect(reject({ currency: 'eur' })).toEqual([]);
  });

  it('checks the minimum subtotal before discounts', () => {
    expect(reject({ minSubtotal: 10_001, currency: 'EUR' })).toEqual([
      { code: 'save', reason: 'min_subtotal' },
    ]);
    expect(reject({ minSubtotal: 10_000, currency: 'EUR' })).toEqual([]);
  });

  it('reports the least actionable reason first', () => {
    expect(reject({ minSubtotal: 10_001, currency: 'EUR', channelIds: ['pos'] })).toEqual([
      { code: 'save', reason: 'channel' },
    ]);
    expect(reject({ minSubtotal: 10_001, currency: 'EUR', endsAt: '2025-01-01' })).toEqual([
      { code: 'save', reason: 'expired' },
    ]);
  });

  it('silently skips ineligible automatic promotions', () => {
    const auto = promo({ id: 'a', conditions: { channelIds: ['pos'] } });
    expect(evaluatePromotions([auto], ctx)).toEqual({ applied: [], rejectedCodes: [] });
  });

  it('keeps an accepted code that happens to discount nothing', () => {
    const target = { type: 'products', productIds: ['not-in-cart'] } as const;
    const result = evaluatePromotions([promo({ id: 'c', code: 'SAVE', target })], {
      ...ctx,
      codes: ['SAVE'],
    });
    expect(result.applied).toEqual([{ promotionId: 'c', code: 'SAVE', amount: 0, lineAllocations: {} }]);
    expect(result.rejectedCodes).toEqual([]);
  });
});

describe('combining promotions', () => {
  it('applies only the best non-combinable promotion and rejects the other codes', () => {
    const small = promo({ id: 'small', code: 'SMALL', value: 500 });
    const big = promo({ id: 'big', code: 'BIG', value: 2000 });
    const result = evaluatePromotions([small, big], { ...ctx, codes: ['SMALL', 'BIG'] });
    expect(result.applied.map((a) => a.promotionId)).toEqual(['big']);
    expect(result.rejectedCodes).toEqual([{ code: 'SMALL', reason: 'not_combinable' }]);
  });

  it('treats promotions as non-combinable unless marked', () => {
    const a = promo({ id: 'a', value: 500 });
    const b = promo({ id: 'b', value: 700 });
    expect(totalDiscount([a, b])).toBe(700);
  });

  it('stacks combinable promotions additively on undiscounted prices', () => {
    const a = promo({ id: 'a', value: 1000, combinable: true });
    const b = promo({ id: 'b', value: 1000, combinable: true });
    expect(totalDiscount([a, b])).toBe(2000);
  });

  it('adds the best non-combinable on top of the combinables', () => {
    const stack = promo({ id: 's', value: 1000, combinable: true });
    const solo = promo({ id: 'n', value: 500, code: 'SOLO' });
    expect(totalDiscount([stack, solo], { ...ctx, codes: ['SOLO'] })).toBe(1500);
  });

  it('picks the non-combinable worth most after the combinables, not in isolation', () => {
    const freeShoes = promo({
      id: 'free-shoes',
      value: 10_000,
      combinable: true,
      target: { type: 'products', productIds: ['prod-shoes'] },
    });
    // Alone, half off shoes (2500) beats 30% off hats (900), but shoes are already free.
    const halfShoes = promo({ id: 'half-shoes', value: 5000, target: freeShoes.target });
    const hats = promo({ id: 'hats', value: 3000, target: { type: 'products', productIds: ['prod-hat'] } });
    const { applied } = evaluatePromotions([freeShoes, halfShoes, hats], ctx);
    expect(applied.map((a) => a.promotionId)).toEqual(['free-shoes', 'hats']);
  });

  it('breaks ties between non-combinables by priority, then id', () => {
    const a = promo({ id: 'a', value: 1000 });
    const b = promo({ id: 'b', value: 1000 });
    expect(evaluatePromotions([b, a], ctx).applied[0]?.promotionId).toBe('a');
    const urgent = promo({ id: 'z', value: 1000, priority: 5 });
    expect(evaluatePromotions([a, b, urgent], ctx).applied[0]?.promotionId).toBe('z');
  });

  it('caps stacked discounts at the line value, crediting higher priority first', () => {
    const first = promo({ id: 'b-first', value: 6000, combinable: true, priority: 2 });
    const second = promo({ id: 'a-second', value: 6000, combinable: true, priority: 1 });
    const { applied } = evaluatePromotions([second, first], ctx);
    expect(applied.map((a) => [a.promotionId, a.amount])).toEqual([
      ['b-first', 6000],
      ['a-second', 4000],
    ]);
    for (const entry of applied) {
      expect(Object.values(entry.lineAllocations).reduce((x, y) => x + y, 0)).toBe(entry.amount);
    }
  });

  it('omits automatic promotions that end up worth nothing', () => {
    const everything = promo({ id: 'a', value: 10_000, combinable: true, priority: 1 });
    const more = promo({ id: 'b', value: 1000, combinable: true });
    expect(evaluatePromotions([everything, more], ctx).applied.map((a) => a.promotionId)).toEqual(['a']);
  });

  it('does not depend on the order of the input arrays', () => {
    const promotions = [
      promo({ id: 'p1', value: 700, combinable: true }),
      promo({ id: 'p2', kind: 'fixed', value: 333, combinable: true, conditions: { currency: 'EUR' } }),
      promo({ id: 'p3', code: 'X', value: 1200 }),
      promo({ id: 'p4', code: 'Y', value: 900 }),
    ];
    const forward = evaluatePromotions(promotions, { ...ctx, codes: ['X', 'Y'] });
    const backward = evaluatePromotions([...promotions].reverse(), { ...ctx, codes: ['X', 'Y'] });
    expect(backward.applied).toEqual(forward.applied);
  });
});

describe('input validation', () => {
  it.each<[string, Partial<PromotionContext>]>([
    ['a local time', { now: '2025-06-15T12:00:00' }],
    ['a non-ISO time', { now: 'June 15, 2025' }],
    ['a negative price', { lines: [line('a', -1, 1)] }],
    ['a fractional quantity', { lines: [line('a', 100, 1.5)] }],
    ['duplicate line ids', { lines: [line('a', 100, 1), line('a', 100, 1)] }],
    ['an unknown currency', { currency: 'EURO' }],
  ])('rejects %s in the context', (_, patch) => {
    expect(() => evaluatePromotions([], { ...ctx, ...patch })).toThrow(RangeError);
  });

  it.each<[string, Partial<Promotion>]>([
    ['a percentage above 100%', { value: 10_001 }],
    ['a fractional value', { value: 1.5 }],
    ['a blank code', { code: '  ' }],
    ['a local start time', { conditions: { startsAt: '2025-01-01T00:00:00' } }],
    ['an end before the start', { conditions: { startsAt: '2025-02-01', endsAt: '2025-01-01' } }],
    ['an unknown currency', { conditions: { currency: 'EURO' } }],
    ['a negative minimum', { conditions: { minSubtotal: -1, currency: 'EUR' } }],
    ['a fractional priority', { priority: 0.5 }],
  ])('rejects a promotion with %s', (_, patch) => {
    const invalid = promo({ id: 'bad', ...patch });
    expect(promotionProblems(invalid)).not.toEqual([]);
    expect(() => evaluatePromotions([invalid], ctx)).toThrow(RangeError);
  });

  it('rejects duplicate promotion ids', () => {
    expect(() => evaluatePromotions([promo({ id: 'x' }), promo({ id: 'x' })], ctx)).toThrow(RangeError);
  });

  it('keeps odd line ids as plain data', () => {
    const cart = { ...ctx, lines: [line('__proto__', 1000, 1)] };
    const { applied } = evaluatePromotions([promo({ id: 'p' })], cart);
    expect(Object.keys(applied[0]?.lineAllocations ?? {})).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(applied[0]?.lineAllocations)).toBe(Object.prototype);
  });
});
