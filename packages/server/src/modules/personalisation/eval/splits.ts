import type { Basket } from './dataset.js';

export interface TemporalSplit {
  readonly cutoff: number;
  readonly train: readonly Basket[];
  readonly test: readonly Basket[];
}

/**
 * Train on everything strictly before a cutoff, test on everything from it on: the model has
 * seen nothing from the test period, exactly as in production. The cutoff is the time of the
 * basket at the (1 − testFraction) quantile; baskets sharing that instant all go to test.
 */
export function splitByTime(baskets: readonly Basket[], testFraction: number): TemporalSplit {
  if (baskets.length === 0) return { cutoff: 0, train: [], test: [] };
  const ordered = [...baskets].sort((a, b) => a.at - b.at);
  const cutoff = ordered[Math.min(ordered.length - 1, Math.floor(ordered.length * (1 - testFraction)))].at;
  return {
    cutoff,
    train: ordered.filter((basket) => basket.at < cutoff),
    test: ordered.filter((basket) => basket.at >= cutoff),
  };
}

export interface NextBasketCase {
  readonly customerId: string;
  /** The customer's earlier baskets, oldest first. */
  readonly history: readonly Basket[];
  readonly target: Basket;
}

export interface LeaveLastBasketOut {
  readonly train: readonly Basket[];
  readonly cases: readonly NextBasketCase[];
}

/**
 * For every customer with two or more baskets the last one is held out: it is removed from
 * training, and is what their earlier baskets must predict. Baskets without a customer id
 * only train.
 */
export function leaveLastBasketOut(baskets: readonly Basket[]): LeaveLastBasketOut {
  const byCustomer = new Map<string, Basket[]>();
  for (const basket of [...baskets].sort((a, b) => a.at - b.at || a.invoiceNo.localeCompare(b.invoiceNo))) {
    if (!basket.customerId) continue;
    const own = byCustomer.get(basket.customerId);
    if (own) own.push(basket);
    else byCustomer.set(basket.customerId, [basket]);
  }
  const cases: NextBasketCase[] = [];
  for (const [customerId, own] of byCustomer) {
    if (own.length >= 2) cases.push({ customerId, history: own.slice(0, -1), target: own[own.length - 1] });
  }
  const heldOut = new Set(cases.map((held) => held.target));
  return { train: baskets.filter((basket) => !heldOut.has(basket)), cases };
}
