import {
  applyBasisPoints,
  assertMinorUnits,
  BASIS_POINTS_SCALE,
  isKnownCurrency,
  mulDivRounded,
  sumMinorUnits,
} from '../../lib/money.js';

export interface TotalsLineInput {
  lineId: string;
  unitPrice: number;
  quantity: number;
  taxRateBps: number;
}

export interface TotalsInput {
  currency: string;
  /** True when unit prices and the shipping amount already include tax. */
  taxInclusive: boolean;
  lines: readonly TotalsLineInput[];
  /** Per-line discount amounts, e.g. summed from the promotions engine. */
  lineDiscounts: Readonly<Record<string, number>>;
  shipping: { amount: number; taxRateBps: number } | null;
}

export interface LineTotals {
  lineId: string;
  /** unitPrice × quantity, as the price list shows it (gross when inclusive). */
  subtotal: number;
  discount: number;
  /** Net-of-tax base the tax was computed on. */
  taxableAmount: number;
  tax: number;
  /** What the shopper pays for this line. */
  total: number;
}

export interface CartTotals {
  subtotal: number;
  discountTotal: number;
  /** The shipping amount as charged (gross when inclusive), without added tax. */
  shippingTotal: number;
  taxTotal: number;
  total: number;
  lines: LineTotals[];
  shipping: { amount: number; tax: number } | null;
}

/**
 * Cart totals in minor units.
 *
 * Rounding: tax is rounded half-up once per line (and once for shipping), on
 * the discounted line amount, then summed. Per-line rounding means every line
 * on an invoice is self-consistent and the order total is exactly the sum of
 * what the lines show, which is what an auditor re-adds; rounding only the
 * order-level tax would leave lines that don't add up.
 *
 * Exclusive: tax = round(net × rate), and is added on top.
 * Inclusive: tax = round(gross × rate / (1 + rate)), the share already inside
 * the price, so the total is exactly the shelf price minus discounts plus
 * shipping, and tax changes never move what the shopper pays.
 */
export function computeTotals(input: TotalsInput): CartTotals {
  // Amounts are currency-agnostic minor units, but a cart in an unknown
  // currency is a caller bug worth failing on here.
  if (!isKnownCurrency(input.currency)) throw new RangeError(`Unknown currency ${input.currency}`);
  assertKnownDiscountLines(input);
  const taxOn = input.taxInclusive ? includedTax : addedTax;

  const lines = input.lines.map((line): LineTotals => {
    const label = `line ${line.lineId}`;
    assertMinorUnits(line.unitPrice, `${label} unitPrice`);
    assertMinorUnits(line.quantity, `${label} quantity`);
    assertMinorUnits(line.taxRateBps, `${label} taxRateBps`);
    const subtotal = line.unitPrice * line.quantity;
    assertMinorUnits(subtotal, `${label} subtotal`);
    const discount = Object.hasOwn(input.lineDiscounts, line.lineId) ? input.lineDiscounts[line.lineId] : 0;
    assertMinorUnits(discount, `${label} discount`);
    if (discount > subtotal) {
      throw new RangeError(`${label} discount ${discount} exceeds its subtotal ${subtotal}`);
    }
    const discounted = subtotal - discount;
    const tax = taxOn(discounted, line.taxRateBps);
    return {
      lineId: line.lineId,
      subtotal,
      discount,
      taxableAmount: input.taxInclusive ? discounted - tax : discounted,
      tax,
      total: input.taxInclusive ? discounted : checkedAdd(discounted, tax),
    };
  });

  const shipping = input.shipping === null ? null : priceShipping(input.shipping, taxOn);
  const shippingCharged =
    shipping === null ? 0 : input.taxInclusive ? shipping.amount : checkedAdd(shipping.amount, shipping.tax);

  return {
    subtotal: sumMinorUnits(lines.map((line) => line.subtotal)),
    discountTotal: sumMinorUnits(lines.map((line) => line.discount)),
    shippingTotal: shipping?.amount ?? 0,
    taxTotal: sumMinorUnits([...lines.map((line) => line.tax), shipping?.tax ?? 0]),
    total: sumMinorUnits([...lines.map((line) => line.total), shippingCharged]),
    lines,
    shipping,
  };
}

type TaxRule = (amount: number, rateBps: number) => number;

const addedTax: TaxRule = (net, rateBps) => applyBasisPoints(net, rateBps, 'half_up');

const includedTax: TaxRule = (gross, rateBps) =>
  mulDivRounded(gross, rateBps, BASIS_POINTS_SCALE + rateBps, 'half_up');

function priceShipping(
  shipping: { amount: number; taxRateBps: number },
  taxOn: TaxRule,
): { amount: number; tax: number } {
  assertMinorUnits(shipping.amount, 'shipping amount');
  assertMinorUnits(shipping.taxRateBps, 'shipping taxRateBps');
  return { amount: shipping.amount, tax: taxOn(shipping.amount, shipping.taxRateBps) };
}

// A discount for a line that is not in the cart means the caller evaluated
// promotions against a different cart; dropping it silently would misprice.
function assertKnownDiscountLines(input: TotalsInput): void {
  const lineIds = new Set<string>();
  for (const line of input.lines) {
    if (lineIds.has(line.lineId)) throw new RangeError(`Duplicate lineId ${line.lineId}`);
    lineIds.add(line.lineId);
  }
  for (const lineId of Object.keys(input.lineDiscounts)) {
    if (!lineIds.has(lineId)) throw new RangeError(`Discount for unknown line ${lineId}`);
  }
}

function checkedAdd(a: number, b: number): number {
  return sumMinorUnits([a, b]);
}
