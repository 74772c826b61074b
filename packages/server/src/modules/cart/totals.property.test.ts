import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyExponent } from '../../lib/money.js';
import { evaluatePromotions, type Promotion } from '../promotions/engine.js';
import { computeTotals, type TotalsInput } from './totals.js';

const currencies = ['JPY', 'EUR', 'USD', 'KWD', 'BHD'] as const;

// Prices scale with the currency's exponent so a "¥1 000" and a "1.000 KWD"
// cart both exercise realistic magnitudes, plus some 0-priced lines.
const cartArb = fc
  .record({
    currency: fc.constantFrom(...currencies),
    taxInclusive: fc.boolean(),
    lineCount: fc.integer({ min: 0, max: 8 }),
  })
  .chain(({ currency, taxInclusive, lineCount }) => {
    const scale = 10 ** currencyExponent(currency);
    const lineArb = fc.record({
      unitPrice: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5000 * scale })),
      quantity: fc.integer({ min: 0, max: 50 }),
      taxRateBps: fc.constantFrom(0, 500, 700, 1000, 1900, 2000, 2500, 2750),
      discountPpm: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 1_000_000 })),
    });
    return fc.record({
      currency: fc.constant(currency),
      taxInclusive: fc.constant(taxInclusive),
      rawLines: fc.array(lineArb, { minLength: lineCount, maxLength: lineCount }),
      shipping: fc.option(
        fc.record({
          amount: fc.integer({ min: 0, max: 50 * scale }),
          taxRateBps: fc.constantFrom(0, 700, 2000),
        }),
      ),
    });
  })
  .map(({ currency, taxInclusive, rawLines, shipping }): TotalsInput => {
    const lines = rawLines.map((line, i) => ({
      lineId: `line-${i}`,
      unitPrice: line.unitPrice,
      quantity: line.quantity,
      taxRateBps: line.taxRateBps,
    }));
    const lineDiscounts = Object.fromEntries(
      rawLines.map((line, i) => [
        `line-${i}`,
        Math.floor((line.unitPrice * line.quantity * line.discountPpm) / 1_000_000),
      ]),
    );
    return { currency, taxInclusive, lines, lineDiscounts, shipping };
  });

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('computeTotals properties', () => {
  it('keeps every amount a non-negative safe integer and every sum consistent', () => {
    fc.assert(
      fc.property(cartArb, (input) => {
        const totals = computeTotals(input);
        const amounts = [
          totals.subtotal,
          totals.discountTotal,
          totals.shippingTotal,
          totals.taxTotal,
          totals.total,
          ...totals.lines.flatMap((l) => [l.subtotal, l.discount, l.taxableAmount, l.tax, l.total]),
          ...(totals.shipping ? [totals.shipping.amount, totals.shipping.tax] : []),
        ];
        for (const amount of amounts) {
          expect(Number.isSafeInteger(amount)).toBe(true);
          expect(amount).toBeGreaterThanOrEqual(0);
        }
        const shippingTax = totals.shipping?.tax ?? 0;
        expect(sum(totals.lines.map((l) => l.subtotal))).toBe(totals.subtotal);
        expect(sum(totals.lines.map((l) => l.discount))).toBe(totals.discountTotal);
        expect(sum(totals.lines.map((l) => l.tax)) + shippingTax).toBe(totals.taxTotal);
        expect(totals.total).toBe(
          sum(totals.lines.map((l) => l.total)) +
            totals.shippingTotal +
            (input.taxInclusive ? 0 : shippingTax),
        );
        expect(totals.discountTotal).toBeLessThanOrEqual(totals.subtotal);
      }),
    );
  });

  it('charges the shopper exactly the visible prices in tax-inclusive mode', () => {
    fc.assert(
      fc.property(cartArb, (generated) => {
        const input = { ...generated, taxInclusive: true };
        const totals = computeTotals(input);
        expect(totals.total).toBe(totals.subtotal - totals.discountTotal + totals.shippingTotal);
        for (const line of totals.lines) {
          expect(line.total).toBe(line.subtotal - line.discount);
          expect(line.taxableAmount + line.tax).toBe(line.total);
          expect(line.tax).toBeLessThanOrEqual(line.total);
        }
      }),
    );
  });

  it('adds tax on top in tax-exclusive mode', () => {
    fc.assert(
      fc.property(cartArb, (generated) => {
        const input = { ...generated, taxInclusive: false };
        const totals = computeTotals(input);
        expect(totals.total).toBe(
          totals.subtotal - totals.discountTotal + totals.shippingTotal + totals.taxTotal,
        );
      }),
    );
  });

  it('never lowers the total when a discount is removed', () => {
    fc.assert(
      fc.property(cartArb, fc.nat(), (input, pick) => {
        fc.pre(input.lines.length > 0);
        const removed = input.lines[pick % input.lines.length]?.lineId ?? '';
        const { [removed]: _, ...rest } = input.lineDiscounts;
        const withDiscount = computeTotals(input);
        const without = computeTotals({ ...input, lineDiscounts: rest });
        expect(without.total).toBeGreaterThanOrEqual(withDiscount.total);
        expect(without.taxTotal).toBeGreaterThanOrEqual(withDiscount.taxTotal);
      }),
    );
  });

  it('keeps each rounded tax within half a unit of the exact rate', () => {
    fc.assert(
      fc.property(cartArb, (input) => {
        const totals = computeTotals(input);
        totals.lines.forEach((line, i) => {
          const rate = input.lines[i]?.taxRateBps ?? 0;
          const base = line.subtotal - line.discount;
          const exact = input.taxInclusive ? (base * rate) / (10_000 + rate) : (base * rate) / 10_000;
          expect(Math.abs(line.tax - exact)).toBeLessThanOrEqual(0.5 + 1e-6);
        });
      }),
    );
  });

  it('accepts whatever the promotions engine allocates', () => {
    const promotionArb = fc.record({
      kind: fc.constantFrom('percentage', 'fixed') as fc.Arbitrary<'percentage' | 'fixed'>,
      value: fc.integer({ min: 0, max: 10_000 }),
      combinable: fc.boolean(),
    });
    fc.assert(
      fc.property(cartArb, fc.array(promotionArb, { maxLength: 4 }), (input, specs) => {
        const promotions: Promotion[] = specs.map((spec, i) => ({
          id: `p${i}`,
          code: null,
          kind: spec.kind,
          value: spec.value,
          target: { type: 'order' },
          conditions: { currency: input.currency },
          combinable: spec.combinable,
        }));
        const evaluation = evaluatePromotions(promotions, {
          now: '2025-01-01T00:00:00Z',
          channelId: 'web',
          currency: input.currency,
          customerGroupIds: [],
          segmentIds: [],
          codes: [],
          lines: input.lines.map((line) => ({
            ...line,
            productId: line.lineId,
            categoryIds: [],
            collectionIds: [],
          })),
        });
        const lineDiscounts: Record<string, number> = {};
        for (const applied of evaluation.applied) {
          for (const [lineId, amount] of Object.entries(applied.lineAllocations)) {
            lineDiscounts[lineId] = (lineDiscounts[lineId] ?? 0) + amount;
          }
        }
        const totals = computeTotals({ ...input, lineDiscounts });
        expect(totals.discountTotal).toBe(sum(evaluation.applied.map((a) => a.amount)));
      }),
    );
  });
});
