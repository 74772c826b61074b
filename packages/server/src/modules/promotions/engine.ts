import {
  applyBasisPoints,
  assertMinorUnits,
  BASIS_POINTS_SCALE,
  isKnownCurrency,
  isMinorUnits,
  prorate,
  sumMinorUnits,
} from '../../lib/money.js';

export type PromotionKind = 'percentage' | 'fixed' | 'buy_x_get_y';

export type PromotionTarget =
  | { type: 'order' }
  | { type: 'products'; productIds: readonly string[] }
  | { type: 'categories'; categoryIds: readonly string[] }
  | { type: 'collections'; collectionIds: readonly string[] };

export interface BuyXGetY {
  buyQuantity: number;
  getQuantity: number;
  /** Discount on each "get" unit; 10000 makes it free. */
  getDiscountBps: number;
}

/** Absent, null and empty lists all mean "no restriction". */
export interface PromotionConditions {
  /**
   * Cart subtotal before any discount, in minor units of the cart currency.
   * Without `currency` it is read in whatever currency the cart uses.
   */
  minSubtotal?: number | null;
  customerGroupIds?: readonly string[] | null;
  segmentIds?: readonly string[] | null;
  channelIds?: readonly string[] | null;
  /** Inclusive. ISO 8601 date, or date-time with Z or an offset. */
  startsAt?: string | null;
  /** Exclusive. ISO 8601 date, or date-time with Z or an offset. */
  endsAt?: string | null;
  /** Required for `fixed` promotions: an amount is meaningless without it. */
  currency?: string | null;
}

export interface Promotion {
  id: string;
  /** null for automatic promotions. */
  code: string | null;
  kind: PromotionKind;
  /** Basis points for `percentage`, minor units for `fixed`, unused for `buy_x_get_y`. */
  value: number;
  target: PromotionTarget;
  buyXGetY?: BuyXGetY | null;
  conditions: PromotionConditions;
  /** Higher applies first. Defaults to 0. */
  priority?: number | null;
  /** Defaults to false, so stacking is always an explicit merchant decision. */
  combinable?: boolean | null;
}

export interface PromotionCartLine {
  lineId: string;
  productId: string;
  categoryIds: readonly string[];
  collectionIds: readonly string[];
  unitPrice: number;
  quantity: number;
}

export interface PromotionContext {
  /** ISO 8601 date-time with Z or an offset. */
  now: string;
  channelId: string;
  currency: string;
  customerGroupIds: readonly string[];
  segmentIds: readonly string[];
  lines: readonly PromotionCartLine[];
  /** Codes as the shopper typed them; matched trimmed and case-insensitively. */
  codes: readonly string[];
}

export type CodeRejectionReason =
  | 'unknown'
  | 'expired'
  | 'not_started'
  | 'min_subtotal'
  | 'channel'
  | 'customer'
  | 'currency'
  | 'not_combinable';

export interface AppliedPromotion {
  promotionId: string;
  code: string | null;
  amount: number;
  /** Only lines that received a non-zero share; values sum to `amount`. */
  lineAllocations: Record<string, number>;
}

export interface RejectedCode {
  code: string;
  reason: CodeRejectionReason;
}

export interface PromotionEvaluation {
  /** In application order. */
  applied: AppliedPromotion[];
  /** In the order the shopper entered the codes. */
  rejectedCodes: RejectedCode[];
}

/**
 * Evaluates `promotions` against a cart.
 *
 * Which promotions apply: every eligible automatic promotion and every eligible
 * promotion whose code was entered. Combinable ones all stack; of the
 * non-combinable ones exactly one joins them, the one that yields the largest
 * total discount together with the combinables (ties: higher priority, then
 * lower id). Losing non-combinable codes are rejected as `not_combinable`.
 *
 * Application order and stacking, chosen so that the result never depends on
 * the order of the input arrays and adding a promotion never lowers the total:
 *  1. Percentage and buy-x-get-y discounts, by priority (desc) then id (asc).
 *     They are computed from undiscounted line prices, so they stack
 *     additively (10% + 10% = 20%) and order only decides attribution when a
 *     line would drop below zero.
 *  2. Fixed amounts, by priority (desc) then id (asc), spread over what is left
 *     of their eligible lines with largest-remainder proration, then
 *     rebalanced so that no amount is wasted (see allocateFixedAmounts). They
 *     go last so that a fixed amount is never spent on a line another
 *     promotion already made free.
 * Every allocation is capped at the line's remaining value, so discounts on a
 * line never exceed its subtotal.
 *
 * Coded promotions that apply but end up worth zero (no eligible lines) are
 * still reported as applied, so the shopper sees the code was accepted;
 * zero-worth automatic promotions are left out.
 *
 * Throws RangeError on malformed input, including any promotion for which
 * `promotionProblems` reports something.
 */
export function evaluatePromotions(
  promotions: readonly Promotion[],
  ctx: PromotionContext,
): PromotionEvaluation {
  const cart = priceCart(ctx);
  assertValidPromotions(promotions);
  const nowMs = parseInstant(ctx.now, 'ctx.now');

  const promotionsByCode = groupByNormalizedCode(promotions);
  const enteredCodes = uniqueEnteredCodes(ctx.codes);
  const candidates = [
    ...promotions.filter((promotion) => promotion.code === null),
    ...enteredCodes.flatMap(({ normalized }) => promotionsByCode.get(normalized) ?? []),
  ];

  const reasons = new Map<string, CodeRejectionReason>();
  const eligible = candidates.filter((promotion) => {
    const reason = ineligibilityReason(promotion, ctx, nowMs, cart.subtotal);
    if (reason !== null) reasons.set(promotion.id, reason);
    return reason === null;
  });

  const stackable = eligible.filter((promotion) => promotion.combinable === true);
  const exclusive = eligible.filter((promotion) => promotion.combinable !== true);
  const options =
    exclusive.length === 0
      ? [stackable]
      : [...exclusive].sort(byPriorityThenId).map((contender) => [...stackable, contender]);
  const applied = largestDiscount(options.map((option) => applyInOrder(option, cart)));
  const appliedIds = new Set(applied.map((entry) => entry.promotionId));
  for (const promotion of exclusive) {
    if (!appliedIds.has(promotion.id)) reasons.set(promotion.id, 'not_combinable');
  }

  const rejectedCodes: RejectedCode[] = [];
  for (const { typed, normalized } of enteredCodes) {
    const matches = [...(promotionsByCode.get(normalized) ?? [])].sort(byId);
    if (matches.some((promotion) => appliedIds.has(promotion.id))) continue;
    const reason = matches.map((promotion) => reasons.get(promotion.id)).find(Boolean);
    rejectedCodes.push({ code: typed, reason: reason ?? 'unknown' });
  }

  return {
    applied: applied.filter((entry) => entry.amount > 0 || entry.code !== null),
    rejectedCodes,
  };
}

/** The first of the outcomes with the largest total, so earlier options win ties. */
function largestDiscount(outcomes: AppliedPromotion[][]): AppliedPromotion[] {
  let best: AppliedPromotion[] = [];
  let bestTotal = -1;
  for (const outcome of outcomes) {
    const total = sumMinorUnits(outcome.map((entry) => entry.amount));
    if (total > bestTotal) {
      best = outcome;
      bestTotal = total;
    }
  }
  return best;
}

/** Human-readable problems with a promotion's definition; empty when valid. */
export function promotionProblems(promotion: Promotion): string[] {
  const problems: string[] = [];
  const { conditions } = promotion;
  if (promotion.code !== null && normalizeCode(promotion.code) === '') {
    problems.push('code must be null (automatic) or non-blank');
  }
  if (!isMinorUnits(promotion.value)) problems.push('value must be a non-negative safe integer');
  if (promotion.kind === 'percentage' && promotion.value > BASIS_POINTS_SCALE) {
    problems.push('percentage value cannot exceed 10000 basis points');
  }
  // An amount without a currency would mean ¥1 000 in one store and 1.000 KWD
  // in another, so a discount amount is only valid pinned to a currency.
  if (promotion.kind === 'fixed' && !conditions.currency) {
    problems.push('fixed promotions need conditions.currency');
  }
  if (promotion.kind === 'buy_x_get_y') problems.push(...buyXGetYProblems(promotion.buyXGetY));
  if (promotion.priority != null && !Number.isSafeInteger(promotion.priority)) {
    problems.push('priority must be a safe integer');
  }
  if (conditions.minSubtotal != null && !isMinorUnits(conditions.minSubtotal)) {
    problems.push('minSubtotal must be a non-negative safe integer');
  }
  if (conditions.currency && !isKnownCurrency(conditions.currency)) {
    problems.push(`unknown currency ${conditions.currency}`);
  }
  const startsAt = conditions.startsAt ? tryParseInstant(conditions.startsAt) : null;
  const endsAt = conditions.endsAt ? tryParseInstant(conditions.endsAt) : null;
  if (Number.isNaN(startsAt)) problems.push('startsAt must be an ISO 8601 date or date-time with offset');
  if (Number.isNaN(endsAt)) problems.push('endsAt must be an ISO 8601 date or date-time with offset');
  if (startsAt !== null && endsAt !== null && startsAt >= endsAt) {
    problems.push('startsAt must be before endsAt');
  }
  return problems;
}

function buyXGetYProblems(config: BuyXGetY | null | undefined): string[] {
  if (!config) return ['buy_x_get_y promotions need buyXGetY'];
  const problems: string[] = [];
  if (!isMinorUnits(config.buyQuantity) || config.buyQuantity < 1) {
    problems.push('buyQuantity must be a positive integer');
  }
  if (!isMinorUnits(config.getQuantity) || config.getQuantity < 1) {
    problems.push('getQuantity must be a positive integer');
  }
  if (!isMinorUnits(config.getDiscountBps) || config.getDiscountBps > BASIS_POINTS_SCALE) {
    problems.push('getDiscountBps must be an integer from 0 to 10000');
  }
  return problems;
}

function assertValidPromotions(promotions: readonly Promotion[]): void {
  const ids = new Set<string>();
  for (const promotion of promotions) {
    if (ids.has(promotion.id)) throw new RangeError(`Duplicate promotion id ${promotion.id}`);
    ids.add(promotion.id);
    const problems = promotionProblems(promotion);
    if (problems.length > 0) {
      throw new RangeError(`Invalid promotion ${promotion.id}: ${problems.join('; ')}`);
    }
  }
}

interface PricedLine {
  line: PromotionCartLine;
  subtotal: number;
}

interface PricedCart {
  lines: PricedLine[];
  subtotal: number;
}

function priceCart(ctx: PromotionContext): PricedCart {
  if (!isKnownCurrency(ctx.currency)) throw new RangeError(`Unknown cart currency ${ctx.currency}`);
  const lineIds = new Set<string>();
  const lines = ctx.lines.map((line) => {
    if (lineIds.has(line.lineId)) throw new RangeError(`Duplicate lineId ${line.lineId}`);
    lineIds.add(line.lineId);
    assertMinorUnits(line.unitPrice, `line ${line.lineId} unitPrice`);
    assertMinorUnits(line.quantity, `line ${line.lineId} quantity`);
    const subtotal = line.unitPrice * line.quantity;
    assertMinorUnits(subtotal, `line ${line.lineId} subtotal`);
    return { line, subtotal };
  });
  // Also bounds the total unit count used by buy-x-get-y.
  sumMinorUnits(ctx.lines.map((line) => line.quantity));
  return { lines, subtotal: sumMinorUnits(lines.map((priced) => priced.subtotal)) };
}

// Reasons are checked from least to most actionable, so "spend more" is only
// suggested when spending more would actually unlock the promotion.
function ineligibilityReason(
  promotion: Promotion,
  ctx: PromotionContext,
  nowMs: number,
  cartSubtotal: number,
): CodeRejectionReason | null {
  const c = promotion.conditions;
  if (c.startsAt && nowMs < parseInstant(c.startsAt, 'startsAt')) return 'not_started';
  if (c.endsAt && nowMs >= parseInstant(c.endsAt, 'endsAt')) return 'expired';
  if (!allowsAny(c.channelIds, [ctx.channelId])) return 'channel';
  if (!allowsAny(c.customerGroupIds, ctx.customerGroupIds)) return 'customer';
  if (!allowsAny(c.segmentIds, ctx.segmentIds)) return 'customer';
  if (c.currency && c.currency.toUpperCase() !== ctx.currency.toUpperCase()) return 'currency';
  if (c.minSubtotal != null && cartSubtotal < c.minSubtotal) return 'min_subtotal';
  return null;
}

function allowsAny(allowed: readonly string[] | null | undefined, actual: readonly string[]) {
  return !allowed || allowed.length === 0 || actual.some((value) => allowed.includes(value));
}

interface LineSlot {
  line: PromotionCartLine;
  subtotal: number;
  /** What is left of the line after the discounts granted so far. */
  remaining: number;
}

/** Per promotion, the amount granted on each cart line (aligned with cart.lines). */
type Grants = Map<Promotion, number[]>;

function applyInOrder(promotions: readonly Promotion[], cart: PricedCart): AppliedPromotion[] {
  const slots: LineSlot[] = cart.lines.map((priced) => ({ ...priced, remaining: priced.subtotal }));
  const ordered = [...promotions].sort(byPriorityThenId);
  const fromListPrice = ordered.filter((promotion) => promotion.kind !== 'fixed');
  const fixedAmounts = ordered.filter((promotion) => promotion.kind === 'fixed');
  const grants: Grants = new Map();
  for (const promotion of fromListPrice) {
    const eligible = eligibleMask(promotion, slots);
    const wanted = wantedDiscounts(
      promotion,
      slots.filter((_, i) => eligible[i]),
    );
    let k = 0;
    grants.set(
      promotion,
      slots.map((slot, i) => {
        if (!eligible[i]) return 0;
        const granted = Math.min(wanted[k++] ?? 0, slot.remaining);
        slot.remaining -= granted;
        return granted;
      }),
    );
  }
  allocateFixedAmounts(fixedAmounts, slots, grants);

  return [...fromListPrice, ...fixedAmounts].map((promotion) => {
    const row = grants.get(promotion) ?? [];
    return {
      promotionId: promotion.id,
      code: promotion.code,
      amount: sumMinorUnits(row),
      // fromEntries, not assignment, so a lineId like "__proto__" stays data.
      lineAllocations: Object.fromEntries(
        slots.flatMap((slot, i) => ((row[i] ?? 0) > 0 ? [[slot.line.lineId, row[i] ?? 0]] : [])),
      ),
    };
  });
}

/** Uncapped discount per eligible line, aligned with `eligible`; not for fixed amounts. */
function wantedDiscounts(promotion: Promotion, eligible: readonly LineSlot[]): number[] {
  if (promotion.kind === 'buy_x_get_y') return buyXGetYDiscounts(promotion.buyXGetY, eligible);
  // One rounding on the eligible total, so "15% off" is exactly 15% of what
  // the shopper sees, not a sum of per-line roundings.
  const subtotals = eligible.map((slot) => slot.subtotal);
  const amount = applyBasisPoints(sumMinorUnits(subtotals), promotion.value);
  return prorate(amount, subtotals);
}

/**
 * Fixed amounts are first spread, in order, over the room left on their lines
 * by largest-remainder proration. Spreading alone can waste money: an earlier
 * order-wide amount may use up the only line a later product-specific amount
 * could go to, while it could equally have used another line. So the leftovers
 * are then routed through augmenting paths (Edmonds–Karp, i.e. a maximum flow
 * from amounts to lines), moving earlier grants between their own eligible
 * lines to make room. The total granted is therefore the most the lines can
 * absorb, which is what makes adding a promotion never lower the discount;
 * each amount keeps at least what proration gave it.
 */
function allocateFixedAmounts(promotions: readonly Promotion[], slots: LineSlot[], grants: Grants): void {
  const eligible = promotions.map((promotion) => eligibleMask(promotion, slots));
  const rows = promotions.map((promotion, p) => {
    const lines = slots.filter((_, i) => eligible[p]?.[i]);
    const room = lines.map((slot) => slot.remaining);
    const shares = prorate(Math.min(promotion.value, sumMinorUnits(room)), room);
    let k = 0;
    return slots.map((slot, i) => {
      if (!eligible[p]?.[i]) return 0;
      const share = shares[k++] ?? 0;
      slot.remaining -= share;
      return share;
    });
  });
  const unused = promotions.map((promotion, p) => promotion.value - sumMinorUnits(rows[p] ?? []));

  for (let path = findAugmentingPath(); path !== null; path = findAugmentingPath()) {
    const { from, hops, to } = path;
    const moved = Math.min(
      unused[from] ?? 0,
      slots[to]?.remaining ?? 0,
      ...hops.map(({ promotion, line }) => rows[promotion]?.[line] ?? 0),
    );
    unused[from] = (unused[from] ?? 0) - moved;
    const toSlot = slots[to];
    if (toSlot) toSlot.remaining -= moved;
    // The path is from → line₀ ← p₁ → line₁ ← p₂ … → `to`: `from` takes over
    // line₀, and each pᵢ gives up lineᵢ₋₁ for the next line along the path.
    let giver = from;
    for (const { promotion, line } of hops) {
      addTo(rows, giver, line, moved);
      addTo(rows, promotion, line, -moved);
      giver = promotion;
    }
    addTo(rows, giver, to, moved);
  }
  promotions.forEach((promotion, p) => {
    grants.set(promotion, rows[p] ?? []);
  });

  // Breadth-first, so each augmentation is a shortest path (the Edmonds–Karp
  // bound on the number of rounds) and ties resolve by promotion order, then
  // line order, keeping the result deterministic.
  function findAugmentingPath(): { from: number; hops: Hop[]; to: number } | null {
    const seenLines = new Set<number>();
    const queue: Array<{ promotion: number; origin: number; hops: Hop[] }> = [];
    const seenPromotions = new Set<number>();
    promotions.forEach((_, p) => {
      if ((unused[p] ?? 0) > 0) {
        queue.push({ promotion: p, origin: p, hops: [] });
        seenPromotions.add(p);
      }
    });
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head];
      if (node === undefined) break;
      for (let line = 0; line < slots.length; line++) {
        if (!eligible[node.promotion]?.[line] || seenLines.has(line)) continue;
        seenLines.add(line);
        if ((slots[line]?.remaining ?? 0) > 0) return { from: node.origin, hops: node.hops, to: line };
        promotions.forEach((_, holder) => {
          if (seenPromotions.has(holder) || (rows[holder]?.[line] ?? 0) === 0) return;
          seenPromotions.add(holder);
          queue.push({
            promotion: holder,
            origin: node.origin,
            hops: [...node.hops, { promotion: holder, line }],
          });
        });
      }
    }
    return null;
  }
}

interface Hop {
  /** A promotion holding a grant on `line` that it will move elsewhere. */
  promotion: number;
  line: number;
}

function addTo(rows: number[][], promotion: number, line: number, delta: number): void {
  const row = rows[promotion];
  if (row) row[line] = (row[line] ?? 0) + delta;
}

function eligibleMask(promotion: Promotion, slots: readonly LineSlot[]): boolean[] {
  const matches = lineMatcher(promotion.target);
  return slots.map((slot) => matches(slot.line));
}

// The discounted units are the cheapest eligible units in the whole cart (not
// the cheapest of each group of buy+get), which is the merchant-safe reading
// of "buy 2 get 1 free". Equal prices go to the earlier line.
function buyXGetYDiscounts(config: BuyXGetY | null | undefined, eligible: readonly LineSlot[]): number[] {
  const discounts = eligible.map(() => 0);
  if (!config) return discounts;
  const totalUnits = sumMinorUnits(eligible.map((slot) => slot.line.quantity));
  const groupSize = config.buyQuantity + config.getQuantity;
  let unitsToDiscount = Math.floor(totalUnits / groupSize) * config.getQuantity;

  const cheapestFirst = eligible
    .map((slot, k) => ({ k, unitPrice: slot.line.unitPrice, quantity: slot.line.quantity }))
    .sort((a, b) => a.unitPrice - b.unitPrice || a.k - b.k);
  for (const { k, unitPrice, quantity } of cheapestFirst) {
    if (unitsToDiscount === 0) break;
    const units = Math.min(quantity, unitsToDiscount);
    unitsToDiscount -= units;
    discounts[k] = applyBasisPoints(unitPrice * units, config.getDiscountBps);
  }
  return discounts;
}

function lineMatcher(target: PromotionTarget): (line: PromotionCartLine) => boolean {
  switch (target.type) {
    case 'order':
      return () => true;
    case 'products': {
      const ids = new Set(target.productIds);
      return (line) => ids.has(line.productId);
    }
    case 'categories': {
      const ids = new Set(target.categoryIds);
      return (line) => line.categoryIds.some((id) => ids.has(id));
    }
    case 'collections': {
      const ids = new Set(target.collectionIds);
      return (line) => line.collectionIds.some((id) => ids.has(id));
    }
  }
}

function byId(a: Promotion, b: Promotion): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function byPriorityThenId(a: Promotion, b: Promotion): number {
  return (b.priority ?? 0) - (a.priority ?? 0) || byId(a, b);
}

function normalizeCode(code: string): string {
  return code.trim().toUpperCase();
}

function groupByNormalizedCode(promotions: readonly Promotion[]): Map<string, Promotion[]> {
  const byCode = new Map<string, Promotion[]>();
  for (const promotion of promotions) {
    if (promotion.code === null) continue;
    const key = normalizeCode(promotion.code);
    byCode.set(key, [...(byCode.get(key) ?? []), promotion]);
  }
  return byCode;
}

function uniqueEnteredCodes(codes: readonly string[]): Array<{ typed: string; normalized: string }> {
  const seen = new Set<string>();
  const unique: Array<{ typed: string; normalized: string }> = [];
  for (const code of codes) {
    const normalized = normalizeCode(code);
    if (normalized === '' || seen.has(normalized)) continue;
    seen.add(normalized);
    unique.push({ typed: code.trim(), normalized });
  }
  return unique;
}

// Date.parse reads an offset-less date-time as local time, which would make
// the result depend on the server's time zone; such strings are rejected.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

function tryParseInstant(value: string): number {
  return ISO_INSTANT.test(value) ? Date.parse(value) : Number.NaN;
}

function parseInstant(value: string, label: string): number {
  const ms = tryParseInstant(value);
  if (Number.isNaN(ms)) throw new RangeError(`${label} is not an ISO 8601 instant: ${value}`);
  return ms;
}
