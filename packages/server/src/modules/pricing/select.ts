/**
 * Price selection: which of a variant's prices applies to one shopper, now.
 *
 * A candidate is eligible when its currency matches, every scope it names (channel,
 * customer group, segment) matches the context, its tier threshold `minQuantity` is at
 * most the quantity bought, and `now` lies in its validity window [startsAt, endsAt).
 * Among eligible candidates the most specific scope wins (segment > customer group >
 * channel > base; a price naming several scopes outranks one naming fewer of the higher
 * ones, compared lexicographically). Tiers belong to that scope: within it the highest
 * `minQuantity` wins, then the later start (no start counts as the earliest, so a
 * scheduled sale beats the standing price), then the lower amount, then the lower id, so the
 * result never depends on the order of the input.
 *
 * The store list query runs the same rule in SQL (see sql.ts); a test checks that both agree.
 */
export interface PriceCandidate {
  id: string;
  amount: number;
  currency: string;
  channelId: string | null;
  customerGroupId: string | null;
  segmentId: string | null;
  minQuantity: number;
  startsAt: Date | null;
  endsAt: Date | null;
}

export interface PriceContext {
  currency: string;
  channelId: string | null;
  customerGroupIds?: readonly string[];
  segmentIds?: readonly string[];
  quantity?: number;
  now: Date;
}

export function isEligible(candidate: PriceCandidate, context: PriceContext): boolean {
  const quantity = context.quantity ?? 1;
  const now = context.now.getTime();
  return (
    candidate.currency === context.currency &&
    (candidate.channelId === null || candidate.channelId === context.channelId) &&
    (candidate.customerGroupId === null ||
      (context.customerGroupIds ?? []).includes(candidate.customerGroupId)) &&
    (candidate.segmentId === null || (context.segmentIds ?? []).includes(candidate.segmentId)) &&
    candidate.minQuantity <= quantity &&
    (candidate.startsAt === null || candidate.startsAt.getTime() <= now) &&
    (candidate.endsAt === null || now < candidate.endsAt.getTime())
  );
}

/** 0..7: segment, customer group and channel as bits, highest first. */
export function specificity(candidate: PriceCandidate): number {
  return (
    (candidate.segmentId === null ? 0 : 4) +
    (candidate.customerGroupId === null ? 0 : 2) +
    (candidate.channelId === null ? 0 : 1)
  );
}

/** Negative when `a` should win over `b`. */
export function comparePriority(a: PriceCandidate, b: PriceCandidate): number {
  return (
    specificity(b) - specificity(a) ||
    b.minQuantity - a.minQuantity ||
    compareNumbers(startOf(b), startOf(a)) ||
    a.amount - b.amount ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

// No start counts as the earliest start, so a scheduled sale outranks the standing price.
const startOf = (candidate: PriceCandidate) =>
  candidate.startsAt === null ? Number.NEGATIVE_INFINITY : candidate.startsAt.getTime();

const compareNumbers = (a: number, b: number) => (a < b ? -1 : a > b ? 1 : 0);

export function selectPrice<T extends PriceCandidate>(
  candidates: readonly T[],
  context: PriceContext,
): T | null {
  let best: T | null = null;
  for (const candidate of candidates) {
    if (!isEligible(candidate, context)) continue;
    if (best === null || comparePriority(candidate, best) < 0) best = candidate;
  }
  return best;
}
