import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  comparePriority,
  isEligible,
  type PriceCandidate,
  type PriceContext,
  selectPrice,
  specificity,
} from './select.js';

const NOW = new Date('2030-06-01T12:00:00Z');
let seq = 0;
function price(overrides: Partial<PriceCandidate> = {}): PriceCandidate {
  seq++;
  return {
    id: `price_${String(seq).padStart(4, '0')}`,
    amount: 1000,
    currency: 'EUR',
    channelId: null,
    customerGroupId: null,
    segmentId: null,
    minQuantity: 1,
    startsAt: null,
    endsAt: null,
    ...overrides,
  };
}
const context = (overrides: Partial<PriceContext> = {}): PriceContext => ({
  currency: 'EUR',
  channelId: 'chan_web',
  customerGroupIds: [],
  segmentIds: [],
  quantity: 1,
  now: NOW,
  ...overrides,
});

describe('selectPrice', () => {
  it('picks the base price in the requested currency', () => {
    const eur = price({ amount: 1000 });
    const usd = price({ currency: 'USD', amount: 1100 });
    expect(selectPrice([usd, eur], context())).toBe(eur);
    expect(selectPrice([usd, eur], context({ currency: 'USD' }))).toBe(usd);
    expect(selectPrice([usd], context())).toBeNull();
    expect(selectPrice([], context())).toBeNull();
  });

  it('prefers segment over customer group over channel over base', () => {
    const base = price({ amount: 100 });
    const channel = price({ amount: 900, channelId: 'chan_web' });
    const group = price({ amount: 800, customerGroupId: 'grp_trade' });
    const segment = price({ amount: 999, segmentId: 'seg_vip' });
    const all = [base, channel, group, segment];
    expect(selectPrice(all, context())).toBe(channel);
    expect(selectPrice(all, context({ channelId: 'chan_app' }))).toBe(base);
    expect(selectPrice(all, context({ customerGroupIds: ['grp_trade'] }))).toBe(group);
    expect(selectPrice(all, context({ customerGroupIds: ['grp_trade'], segmentIds: ['seg_vip'] }))).toBe(
      segment,
    );
  });

  it('applies the highest tier not above the quantity, within the winning scope', () => {
    const one = price({ amount: 1000 });
    const ten = price({ amount: 800, minQuantity: 10 });
    const fifty = price({ amount: 600, minQuantity: 50 });
    const channelOne = price({ amount: 950, channelId: 'chan_web' });
    expect(selectPrice([one, ten, fifty], context({ quantity: 9 }))).toBe(one);
    expect(selectPrice([one, ten, fifty], context({ quantity: 10 }))).toBe(ten);
    expect(selectPrice([one, ten, fifty], context({ quantity: 500 }))).toBe(fifty);
    // Tiers belong to a scope: the channel's own price outranks the base tiers.
    expect(selectPrice([one, ten, channelOne], context({ quantity: 10 }))).toBe(channelOne);
    expect(selectPrice([ten], context({ quantity: 1 }))).toBeNull();
  });

  it('respects the validity window [starts_at, ends_at) and lets a running sale win', () => {
    const standing = price({ amount: 1000 });
    const sale = price({
      amount: 700,
      startsAt: new Date('2030-05-01T00:00:00Z'),
      endsAt: new Date('2030-06-01T12:00:00Z'),
    });
    const next = price({ amount: 500, startsAt: new Date('2030-06-01T12:00:00Z') });
    expect(selectPrice([standing, sale], context({ now: new Date('2030-05-15T00:00:00Z') }))).toBe(sale);
    expect(selectPrice([standing, sale], context())).toBe(standing); // ends_at is exclusive
    expect(selectPrice([standing, next], context())).toBe(next); // starts_at is inclusive
    expect(selectPrice([standing, next], context({ now: new Date('2030-06-01T11:59:59Z') }))).toBe(standing);
  });

  it('breaks remaining ties by lower amount, then id', () => {
    const a = price({ amount: 500, id: 'price_b' });
    const b = price({ amount: 500, id: 'price_a' });
    const c = price({ amount: 400, id: 'price_c' });
    expect(selectPrice([a, b], context())).toBe(b);
    expect(selectPrice([a, b, c], context())).toBe(c);
  });
});

const NOW_MS = NOW.getTime();
const HOUR = 3_600_000;
const candidateArb = fc.record({
  id: fc.uuid(),
  amount: fc.nat({ max: 1_000_000 }),
  currency: fc.constantFrom('EUR', 'USD'),
  channelId: fc.constantFrom(null, 'chan_a', 'chan_b'),
  customerGroupId: fc.constantFrom(null, 'grp_1', 'grp_2'),
  segmentId: fc.constantFrom(null, 'seg_1', 'seg_2'),
  minQuantity: fc.integer({ min: 1, max: 20 }),
  startsAt: fc.option(fc.integer({ min: -48, max: 48 }).map((h) => new Date(NOW_MS + h * HOUR))),
  endsAt: fc.option(fc.integer({ min: -48, max: 48 }).map((h) => new Date(NOW_MS + h * HOUR))),
});
const contextArb = fc.record({
  currency: fc.constantFrom('EUR', 'USD'),
  channelId: fc.constantFrom('chan_a', 'chan_b'),
  customerGroupIds: fc.subarray(['grp_1', 'grp_2']),
  segmentIds: fc.subarray(['seg_1', 'seg_2']),
  quantity: fc.integer({ min: 1, max: 25 }),
  now: fc.integer({ min: -50, max: 50 }).map((h) => new Date(NOW_MS + h * HOUR)),
});

describe('selectPrice properties', () => {
  it('returns an eligible candidate, or null exactly when none is eligible', () => {
    fc.assert(
      fc.property(fc.array(candidateArb, { maxLength: 12 }), contextArb, (candidates, ctx) => {
        const chosen = selectPrice(candidates, ctx);
        const eligible = candidates.filter((c) => isEligible(c, ctx));
        if (eligible.length === 0) expect(chosen).toBeNull();
        else expect(chosen !== null && isEligible(chosen, ctx)).toBe(true);
      }),
    );
  });

  it('never passes over a more specific, or equally specific higher-tier, eligible price', () => {
    fc.assert(
      fc.property(fc.array(candidateArb, { maxLength: 12 }), contextArb, (candidates, ctx) => {
        const chosen = selectPrice(candidates, ctx);
        if (!chosen) return;
        for (const other of candidates.filter((c) => isEligible(c, ctx))) {
          expect(specificity(other)).toBeLessThanOrEqual(specificity(chosen));
          if (specificity(other) === specificity(chosen))
            expect(other.minQuantity).toBeLessThanOrEqual(chosen.minQuantity);
          expect(comparePriority(chosen, other)).toBeLessThanOrEqual(0);
        }
      }),
    );
  });

  it('does not depend on the order of the candidates', () => {
    fc.assert(
      fc.property(
        fc
          .array(candidateArb, { maxLength: 12 })
          .chain((list) =>
            fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length })),
          ),
        contextArb,
        ([list, shuffled], ctx) => {
          expect(selectPrice(shuffled, ctx)).toBe(selectPrice(list, ctx));
        },
      ),
    );
  });

  it('ignores prices in another currency or scoped to someone else', () => {
    fc.assert(
      fc.property(
        fc.array(candidateArb, { maxLength: 10 }),
        candidateArb,
        contextArb,
        (candidates, extra, ctx) => {
          const foreign = { ...extra, currency: ctx.currency === 'EUR' ? 'USD' : 'EUR' };
          const otherChannel = {
            ...extra,
            id: `${extra.id}-c`,
            channelId: ctx.channelId === 'chan_a' ? 'chan_b' : 'chan_a',
          };
          const before = selectPrice(candidates, ctx);
          expect(selectPrice([...candidates, foreign, otherChannel], ctx)).toBe(before);
        },
      ),
    );
  });
});
