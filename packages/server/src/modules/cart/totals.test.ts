import { describe, expect, it } from 'vitest';
import { computeTotals, type TotalsInput } from './totals.js';

const base: TotalsInput = {
  currency: 'EUR',
  taxInclusive: false,
  lines: [
    { lineId: 'a', unitPrice: 1000, quantity: 2, taxRateBps: 2000 },
    { lineId: 'b', unitPrice: 333, quantity: 1, taxRateBps: 700 },
  ],
  lineDiscounts: {},
  shipping: null,
};

describe('computeTotals, tax exclusive', () => {
  it('adds tax per line on top of the discounted amount', () => {
    const totals = computeTotals({ ...base, lineDiscounts: { a: 500 } });
    expect(totals.lines).toEqual([
      { lineId: 'a', subtotal: 2000, discount: 500, taxableAmount: 1500, tax: 300, total: 1800 },
      // 333 × 7% = 23.31 -> 23
      { lineId: 'b', subtotal: 333, discount: 0, taxableAmount: 333, tax: 23, total: 356 },
    ]);
    expect(totals).toMatchObject({
      subtotal: 2333,
      discountTotal: 500,
      shippingTotal: 0,
      taxTotal: 323,
      total: 2156,
      shipping: null,
    });
  });

  it('taxes shipping and adds the tax to the total', () => {
    const totals = computeTotals({ ...base, shipping: { amount: 495, taxRateBps: 2000 } });
    expect(totals.shipping).toEqual({ amount: 495, tax: 99 });
    expect(totals.shippingTotal).toBe(495);
    expect(totals.taxTotal).toBe(400 + 23 + 99);
    expect(totals.total).toBe(2400 + 356 + 495 + 99);
  });

  it('rounds each line half-up', () => {
    // 50 × 5% = 2.5 -> 3 on each line, so the order pays 6 rather than round(5.0)
    const totals = computeTotals({
      ...base,
      lines: [
        { lineId: 'x', unitPrice: 50, quantity: 1, taxRateBps: 500 },
        { lineId: 'y', unitPrice: 50, quantity: 1, taxRateBps: 500 },
      ],
    });
    expect(totals.lines.map((line) => line.tax)).toEqual([3, 3]);
    expect(totals.taxTotal).toBe(6);
  });
});

describe('computeTotals, tax inclusive', () => {
  const inclusive: TotalsInput = {
    ...base,
    taxInclusive: true,
    lines: [
      { lineId: 'a', unitPrice: 1200, quantity: 1, taxRateBps: 2000 },
      { lineId: 'b', unitPrice: 1000, quantity: 1, taxRateBps: 1900 },
    ],
  };

  it('extracts the tax contained in the discounted price', () => {
    const totals = computeTotals(inclusive);
    expect(totals.lines).toEqual([
      { lineId: 'a', subtotal: 1200, discount: 0, taxableAmount: 1000, tax: 200, total: 1200 },
      // 1000 × 19/119 = 159.66 -> 160
      { lineId: 'b', subtotal: 1000, discount: 0, taxableAmount: 840, tax: 160, total: 1000 },
    ]);
    expect(totals.total).toBe(2200);
    expect(totals.taxTotal).toBe(360);
  });

  it('charges exactly shelf price minus discounts plus shipping', () => {
    const totals = computeTotals({
      ...inclusive,
      lineDiscounts: { a: 120 },
      shipping: { amount: 599, taxRateBps: 2000 },
    });
    expect(totals.total).toBe(2200 - 120 + 599);
    expect(totals.lines[0]?.tax).toBe(180); // 1080 / 6
    expect(totals.shipping).toEqual({ amount: 599, tax: 100 }); // 99.83 -> 100
    expect(totals.shippingTotal).toBe(599);
    expect(totals.taxTotal).toBe(180 + 160 + 100);
  });
});

describe('computeTotals, edge cases', () => {
  it('handles an empty cart', () => {
    expect(computeTotals({ ...base, lines: [] })).toEqual({
      subtotal: 0,
      discountTotal: 0,
      shippingTotal: 0,
      taxTotal: 0,
      total: 0,
      lines: [],
      shipping: null,
    });
  });

  it('allows a line discounted to zero', () => {
    const totals = computeTotals({ ...base, lineDiscounts: { a: 2000, b: 333 } });
    expect(totals.total).toBe(0);
    expect(totals.taxTotal).toBe(0);
  });

  it('allows zero tax rates and zero-priced lines', () => {
    const totals = computeTotals({
      ...base,
      currency: 'JPY',
      lines: [
        { lineId: 'gift', unitPrice: 0, quantity: 3, taxRateBps: 1000 },
        { lineId: 'book', unitPrice: 1500, quantity: 1, taxRateBps: 0 },
      ],
    });
    expect(totals.total).toBe(1500);
    expect(totals.taxTotal).toBe(0);
  });

  it('does not read inherited properties as discounts', () => {
    const totals = computeTotals({
      ...base,
      lines: [{ lineId: 'constructor', unitPrice: 100, quantity: 1, taxRateBps: 0 }],
    });
    expect(totals.discountTotal).toBe(0);
  });
});

describe('computeTotals, invalid input', () => {
  const line = { lineId: 'a', unitPrice: 1000, quantity: 1, taxRateBps: 2000 };
  it.each<[string, Partial<TotalsInput>]>([
    ['negative price', { lines: [{ ...line, unitPrice: -1 }] }],
    ['fractional price', { lines: [{ ...line, unitPrice: 9.99 }] }],
    ['fractional quantity', { lines: [{ ...line, quantity: 0.5 }] }],
    ['negative quantity', { lines: [{ ...line, quantity: -1 }] }],
    ['NaN tax rate', { lines: [{ ...line, taxRateBps: Number.NaN }] }],
    ['unsafe line subtotal', { lines: [{ ...line, unitPrice: 2 ** 40, quantity: 2 ** 20 }] }],
    ['negative discount', { lines: [line], lineDiscounts: { a: -1 } }],
    ['discount above subtotal', { lines: [line], lineDiscounts: { a: 1001 } }],
    ['discount for an unknown line', { lines: [line], lineDiscounts: { zzz: 1 } }],
    ['duplicate lines', { lines: [line, line] }],
    ['negative shipping', { shipping: { amount: -1, taxRateBps: 0 } }],
    ['fractional shipping tax rate', { shipping: { amount: 100, taxRateBps: 0.5 } }],
    ['unknown currency', { currency: 'XYZ' }],
    [
      'a total beyond the safe range',
      {
        lines: [
          { ...line, lineId: 'x', unitPrice: Number.MAX_SAFE_INTEGER },
          { ...line, lineId: 'y', unitPrice: Number.MAX_SAFE_INTEGER },
        ],
      },
    ],
  ])('rejects %s with a RangeError', (_, patch) => {
    expect(() => computeTotals({ ...base, ...patch })).toThrow(RangeError);
  });
});
