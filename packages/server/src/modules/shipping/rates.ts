import { assertMinorUnits, isKnownCurrency } from '../../lib/money.js';

export interface WeightBracket {
  /** Inclusive upper bound; null means "and anything heavier". */
  upToGrams: number | null;
  amount: number;
}

interface ShippingOptionBase {
  id: string;
  name: string;
  currency: string;
}

export type ShippingOption = ShippingOptionBase &
  (
    | { kind: 'flat'; amount: number }
    | { kind: 'free_over'; amount: number; threshold: number }
    | { kind: 'weight'; weightBrackets: readonly WeightBracket[] }
  );

export type ShippingOptionKind = ShippingOption['kind'];

export interface ShippingQuoteInput {
  /** Merchandise subtotal after discounts, before shipping and tax. */
  subtotalAfterDiscounts: number;
  totalWeightGrams: number;
  currency: string;
}

/**
 * Price of `option` for a cart, in minor units, or null when the option
 * cannot serve this cart (other currency, or heavier than its last bracket).
 * Malformed options throw: they are configuration bugs, not cart conditions.
 */
export function priceShippingOption(option: ShippingOption, input: ShippingQuoteInput): number | null {
  assertValidOption(option);
  assertMinorUnits(input.subtotalAfterDiscounts, 'subtotalAfterDiscounts');
  assertMinorUnits(input.totalWeightGrams, 'totalWeightGrams');
  if (option.currency.toUpperCase() !== input.currency.toUpperCase()) return null;

  switch (option.kind) {
    case 'flat':
      return option.amount;
    case 'free_over':
      return input.subtotalAfterDiscounts >= option.threshold ? 0 : option.amount;
    case 'weight': {
      const bracket = byUpperBound(option.weightBrackets).find(
        (b) => b.upToGrams === null || input.totalWeightGrams <= b.upToGrams,
      );
      return bracket === undefined ? null : bracket.amount;
    }
  }
}

// Validated whether or not the option applies to this cart, so a broken option
// fails in every test cart rather than only in the currency it is priced in.
function assertValidOption(option: ShippingOption): void {
  const label = `shipping option ${option.id}`;
  if (!isKnownCurrency(option.currency)) {
    throw new RangeError(`${label} has unknown currency ${option.currency}`);
  }
  switch (option.kind) {
    case 'flat':
      assertMinorUnits(option.amount, `${label} amount`);
      return;
    case 'free_over':
      assertMinorUnits(option.amount, `${label} amount`);
      assertMinorUnits(option.threshold, `${label} threshold`);
      return;
    case 'weight': {
      for (const bracket of option.weightBrackets) {
        assertMinorUnits(bracket.amount, `${label} bracket amount`);
        if (bracket.upToGrams !== null) assertMinorUnits(bracket.upToGrams, `${label} bracket upToGrams`);
      }
      // Two brackets with the same bound would make the price depend on sort stability.
      const bounds = option.weightBrackets.map((bracket) => bracket.upToGrams);
      if (new Set(bounds).size !== bounds.length) {
        throw new RangeError(`${label} has overlapping weight brackets`);
      }
      return;
    }
  }
}

// Sorted here rather than trusted, because storage order is not a contract.
function byUpperBound(brackets: readonly WeightBracket[]): WeightBracket[] {
  const bound = (bracket: WeightBracket) => bracket.upToGrams ?? Number.POSITIVE_INFINITY;
  return [...brackets].sort((a, b) => bound(a) - bound(b));
}
