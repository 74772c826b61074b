import { describe, expect, it } from 'vitest';
import { priceShippingOption, type ShippingOption } from './rates.js';

const cart = { subtotalAfterDiscounts: 5000, totalWeightGrams: 1200, currency: 'EUR' };

const flat: ShippingOption = { id: 'flat', name: 'Standard', kind: 'flat', amount: 495, currency: 'EUR' };
const freeOver: ShippingOption = {
  id: 'free',
  name: 'Free over 50',
  kind: 'free_over',
  amount: 695,
  threshold: 5000,
  currency: 'EUR',
};
const byWeight: ShippingOption = {
  id: 'weight',
  name: 'Parcel',
  kind: 'weight',
  currency: 'EUR',
  weightBrackets: [
    { upToGrams: 1000, amount: 400 },
    { upToGrams: 5000, amount: 900 },
    { upToGrams: 20_000, amount: 1900 },
  ],
};

describe('priceShippingOption', () => {
  it('charges flat options their amount', () => {
    expect(priceShippingOption(flat, cart)).toBe(495);
    expect(priceShippingOption(flat, { ...cart, subtotalAfterDiscounts: 0 })).toBe(495);
  });

  it('makes free_over free at exactly the threshold and above', () => {
    expect(priceShippingOption(freeOver, cart)).toBe(0);
    expect(priceShippingOption(freeOver, { ...cart, subtotalAfterDiscounts: 99_999 })).toBe(0);
    expect(priceShippingOption(freeOver, { ...cart, subtotalAfterDiscounts: 4999 })).toBe(695);
  });

  it('picks the first weight bracket whose inclusive bound fits', () => {
    expect(priceShippingOption(byWeight, { ...cart, totalWeightGrams: 0 })).toBe(400);
    expect(priceShippingOption(byWeight, { ...cart, totalWeightGrams: 1000 })).toBe(400);
    expect(priceShippingOption(byWeight, { ...cart, totalWeightGrams: 1001 })).toBe(900);
    expect(priceShippingOption(byWeight, { ...cart, totalWeightGrams: 20_000 })).toBe(1900);
  });

  it('is not applicable above the last bounded bracket', () => {
    expect(priceShippingOption(byWeight, { ...cart, totalWeightGrams: 20_001 })).toBeNull();
  });

  it('treats a null bound as covering any weight', () => {
    const open: ShippingOption = {
      ...byWeight,
      weightBrackets: [...byWeight.weightBrackets, { upToGrams: null, amount: 4900 }],
    };
    expect(priceShippingOption(open, { ...cart, totalWeightGrams: 1_000_000 })).toBe(4900);
  });

  it('does not depend on the stored bracket order', () => {
    const shuffled: ShippingOption = {
      ...byWeight,
      weightBrackets: [
        { upToGrams: null, amount: 4900 },
        { upToGrams: 5000, amount: 900 },
        { upToGrams: 1000, amount: 400 },
      ],
    };
    expect(priceShippingOption(shuffled, { ...cart, totalWeightGrams: 800 })).toBe(400);
    expect(priceShippingOption(shuffled, { ...cart, totalWeightGrams: 6000 })).toBe(4900);
  });

  it('is not applicable with no brackets', () => {
    expect(priceShippingOption({ ...byWeight, weightBrackets: [] }, cart)).toBeNull();
  });

  it('is not applicable in another currency, matched case-insensitively', () => {
    expect(priceShippingOption(flat, { ...cart, currency: 'USD' })).toBeNull();
    expect(priceShippingOption(flat, { ...cart, currency: 'eur' })).toBe(495);
  });

  it('rejects malformed options', () => {
    expect(() => priceShippingOption({ ...flat, amount: -1 }, cart)).toThrow(RangeError);
    expect(() => priceShippingOption({ ...flat, amount: 4.95 }, cart)).toThrow(RangeError);
    expect(() => priceShippingOption({ ...flat, currency: 'EURO' }, cart)).toThrow(RangeError);
    expect(() => priceShippingOption({ ...freeOver, threshold: -5 }, cart)).toThrow(RangeError);
    const overlapping: ShippingOption = {
      ...byWeight,
      weightBrackets: [
        { upToGrams: 1000, amount: 400 },
        { upToGrams: 1000, amount: 500 },
      ],
    };
    expect(() => priceShippingOption(overlapping, cart)).toThrow(/overlapping/);
    const twoOpenEnded: ShippingOption = {
      ...byWeight,
      weightBrackets: [
        { upToGrams: null, amount: 400 },
        { upToGrams: null, amount: 500 },
      ],
    };
    expect(() => priceShippingOption(twoOpenEnded, cart)).toThrow(/overlapping/);
  });

  it('rejects malformed cart input', () => {
    expect(() => priceShippingOption(flat, { ...cart, subtotalAfterDiscounts: -1 })).toThrow(RangeError);
    expect(() => priceShippingOption(flat, { ...cart, totalWeightGrams: 1.5 })).toThrow(RangeError);
  });

  it('works in zero- and three-decimal currencies', () => {
    const yen: ShippingOption = { ...freeOver, currency: 'JPY', amount: 800, threshold: 10_000 };
    expect(priceShippingOption(yen, { ...cart, currency: 'JPY', subtotalAfterDiscounts: 9999 })).toBe(800);
    const dinar: ShippingOption = { ...flat, currency: 'KWD', amount: 1250 };
    expect(priceShippingOption(dinar, { ...cart, currency: 'KWD' })).toBe(1250);
  });
});
