import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conversionRates, dayKeys, fillDaily, rankProducts, windowStart } from './series.js';

describe('dayKeys / windowStart', () => {
  it('lists the UTC days of the window, oldest first, today last', () => {
    const until = new Date('2026-03-01T23:30:00Z');
    expect(dayKeys(until, 3)).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
    expect(windowStart(until, 3).toISOString()).toBe('2026-02-27T00:00:00.000Z');
  });

  it('always has `days` distinct consecutive days', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 366 }),
        (until, days) => {
          const keys = dayKeys(until, days);
          expect(keys).toHaveLength(days);
          expect(new Set(keys).size).toBe(days);
          expect(keys.at(-1)).toBe(until.toISOString().slice(0, 10));
          expect([...keys].sort()).toEqual(keys);
        },
      ),
    );
  });
});

describe('fillDaily', () => {
  it('keeps empty days and never adds two currencies together', () => {
    const keys = ['2026-01-01', '2026-01-02', '2026-01-03'];
    const points = fillDaily(
      [
        { day: '2026-01-01', currency: 'USD', orders: 1, revenue: 500 },
        { day: '2026-01-01', currency: 'EUR', orders: 2, revenue: 3000 },
        { day: '2026-01-03', currency: 'EUR', orders: 1, revenue: 100 },
        { day: '2025-12-31', currency: 'EUR', orders: 9, revenue: 9 },
      ],
      keys,
    );
    expect(points).toEqual([
      {
        date: '2026-01-01',
        orders: 3,
        revenue: [
          { currency: 'EUR', amount: 3000 },
          { currency: 'USD', amount: 500 },
        ],
      },
      { date: '2026-01-02', orders: 0, revenue: [] },
      { date: '2026-01-03', orders: 1, revenue: [{ currency: 'EUR', amount: 100 }] },
    ]);
  });
});

describe('rankProducts', () => {
  it('sums units over currencies, ranks by units then ID, and cuts at the limit', () => {
    const ranked = rankProducts(
      [
        { product_id: 'prod_b', title: 'B', currency: 'EUR', units: 2, revenue: 200 },
        { product_id: 'prod_a', title: 'A', currency: 'EUR', units: 1, revenue: 100 },
        { product_id: 'prod_a', title: 'A', currency: 'USD', units: 1, revenue: 120 },
        { product_id: 'prod_c', title: 'C', currency: 'EUR', units: 1, revenue: 50 },
      ],
      2,
    );
    expect(ranked).toEqual([
      {
        product_id: 'prod_a',
        title: 'A',
        units: 2,
        revenue: [
          { currency: 'EUR', amount: 100 },
          { currency: 'USD', amount: 120 },
        ],
      },
      { product_id: 'prod_b', title: 'B', units: 2, revenue: [{ currency: 'EUR', amount: 200 }] },
    ]);
  });
});

describe('conversionRates', () => {
  it('has no rate after an empty step, and rates stay within [0, 1]', () => {
    expect(conversionRates({ views: 0, carts: 0, orders: 0 })).toEqual({
      view_to_cart: null,
      cart_to_order: null,
      view_to_order: null,
    });
    expect(conversionRates({ views: 200, carts: 20, orders: 5 })).toEqual({
      view_to_cart: 0.1,
      cart_to_order: 0.25,
      view_to_order: 0.025,
    });
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.nat(), (views, carts, orders) => {
        for (const rate of Object.values(conversionRates({ views, carts, orders }))) {
          if (rate !== null) expect(rate >= 0 && rate <= 1).toBe(true);
        }
      }),
    );
  });
});
