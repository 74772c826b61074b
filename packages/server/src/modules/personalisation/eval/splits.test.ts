import { describe, expect, it } from 'vitest';
import type { Basket } from './dataset.js';
import { leaveLastBasketOut, splitByTime } from './splits.js';

const basket = (invoiceNo: string, customerId: string, at: number): Basket => ({
  invoiceNo,
  customerId,
  at,
  productIds: [`p${invoiceNo}`],
});

describe('splitByTime', () => {
  it('trains strictly before the cutoff and tests from it on, keeping same-instant baskets together', () => {
    const baskets = [1, 2, 3, 4, 5, 6, 7, 8, 8, 9].map((at, i) => basket(String(i), 'c', at));
    const split = splitByTime(baskets, 0.25);
    expect(split.cutoff).toBe(8);
    expect(split.train.map((b) => b.at)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(split.test.map((b) => b.at)).toEqual([8, 8, 9]);
  });
});

describe('leaveLastBasketOut', () => {
  it("holds out each repeat customer's last basket and trains on everything else", () => {
    const baskets = [
      basket('1', 'ann', 1),
      basket('2', 'bob', 2),
      basket('3', 'ann', 3),
      basket('4', 'ann', 4),
      basket('5', '', 5),
      basket('6', 'cat', 6),
      basket('7', 'cat', 7),
    ];
    const { train, cases } = leaveLastBasketOut(baskets);
    expect(cases.map((c) => [c.customerId, c.history.map((b) => b.invoiceNo), c.target.invoiceNo])).toEqual([
      ['ann', ['1', '3'], '4'],
      ['cat', ['6'], '7'],
    ]);
    expect(train.map((b) => b.invoiceNo)).toEqual(['1', '2', '3', '5', '6']);
  });
});
