import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { literal } from '../../db/plan-stable.js';
import { inTransaction } from '../../db/transaction.js';
import { staleVersion } from '../../http/concurrency.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { ApiError, conflict, type FieldError, invalid, notFound } from '../../http/problem.js';
import { ConfigMemo } from '../../lib/config-memo.js';
import { newId } from '../../lib/ids.js';
import { type PromotionDefinition, presentPromotion, targetFromApi, toEnginePromotion } from './convert.js';
import { type Promotion as EnginePromotion, promotionProblems } from './engine.js';
import type { PromotionCreateBody, PromotionUpdateBody } from './schema.js';
import type { PromotionRow } from './tables.js';

type Conditions = NonNullable<PromotionCreateBody['conditions']>;
type Draft = PromotionDefinition;

function applyConditions(draft: Draft, conditions: Conditions): Draft {
  const date = (value: string | null | undefined, fallback: Date | null) =>
    value === undefined ? fallback : value === null ? null : new Date(value);
  return {
    ...draft,
    min_subtotal: conditions.min_subtotal === undefined ? draft.min_subtotal : conditions.min_subtotal,
    customer_group_ids: conditions.customer_group_ids ?? draft.customer_group_ids,
    segment_ids: conditions.segment_ids ?? draft.segment_ids,
    channel_ids: conditions.channel_ids ?? draft.channel_ids,
    starts_at: date(conditions.starts_at, draft.starts_at),
    ends_at: date(conditions.ends_at, draft.ends_at),
    currency: conditions.currency === undefined ? draft.currency : conditions.currency,
  };
}

/** The promotion as it would be after applying `body` to `base`, in row shape. */
function applyBody(base: Draft, body: PromotionUpdateBody): Draft {
  const { target, buy_x_get_y, conditions, ...plain } = body;
  const draft: Draft = { ...base, ...plain };
  if (target) draft.target = targetFromApi(target);
  if (buy_x_get_y !== undefined) {
    draft.buy_x_get_y = buy_x_get_y && {
      buyQuantity: buy_x_get_y.buy_quantity,
      getQuantity: buy_x_get_y.get_quantity,
      getDiscountBps: buy_x_get_y.get_discount_bps,
    };
  }
  return conditions ? applyConditions(draft, conditions) : draft;
}

function toColumns(draft: Draft) {
  return {
    ...draft,
    target: JSON.stringify(draft.target) as never,
    buy_x_get_y: (draft.buy_x_get_y ? JSON.stringify(draft.buy_x_get_y) : null) as never,
    metadata: JSON.stringify(draft.metadata) as never,
  };
}

const EMPTY_DRAFT: Omit<Draft, 'id' | 'name' | 'kind' | 'value'> = {
  code: null,
  target: { type: 'order' },
  buy_x_get_y: null,
  min_subtotal: null,
  customer_group_ids: [],
  segment_ids: [],
  channel_ids: [],
  starts_at: null,
  ends_at: null,
  currency: null,
  priority: 0,
  combinable: false,
  active: true,
  usage_limit: null,
  usage_limit_per_customer: null,
  metadata: {},
};

// The engine's own validation is the single definition of a well-formed promotion;
// its messages name the offending part, which maps to the request field here.
const PROBLEM_FIELDS: Array<[RegExp, string]> = [
  [/currency/, '/body/conditions/currency'],
  [/startsAt|endsAt/, '/body/conditions/starts_at'],
  [/buyXGetY|buyQuantity|getQuantity|getDiscountBps/, '/body/buy_x_get_y'],
  [/percentage|value/, '/body/value'],
  [/code/, '/body/code'],
];

function assertWellFormed(draft: Draft): void {
  const problems = promotionProblems(toEnginePromotion(draft));
  if (problems.length === 0) return;
  const errors: FieldError[] = problems.map((message) => ({
    field: PROBLEM_FIELDS.find(([pattern]) => pattern.test(message))?.[1] ?? '/body',
    message,
  }));
  throw invalid('The promotion is not well-formed', errors);
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === '23505';
}

const duplicateCode = (code: string | null | undefined) =>
  conflict('promotion_code_taken', `Another promotion already uses the code ${code}`, {
    errors: [{ field: '/body/code', message: 'is already used (codes are case-insensitive)' }],
  });

/** What `loadApplicablePromotions` found per channel, currency and entered codes. */
const offered = new ConfigMemo<EnginePromotion[]>();

export async function createPromotion(db: Executor, body: PromotionCreateBody): Promise<PromotionRow> {
  offered.invalidate();
  const draft = applyBody(
    { ...EMPTY_DRAFT, id: newId('promo'), name: body.name, kind: body.kind, value: body.value },
    body,
  );
  assertWellFormed(draft);
  try {
    return await db
      .insertInto('promotions')
      .values(toColumns(draft))
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateCode(body.code);
    throw error;
  }
}

export async function getPromotion(db: Executor, id: string): Promise<PromotionRow> {
  const row = await db.selectFrom('promotions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Promotion', id);
  return row;
}

export async function listPromotions(
  db: Executor,
  query: { limit: number; cursor?: string; code?: string; active?: boolean },
) {
  const after = decodeCursor(query.cursor, 1);
  let select = db
    .selectFrom('promotions')
    .selectAll()
    .orderBy('id')
    .limit(query.limit + 1);
  if (after) select = select.where('id', '>', String(after[0]));
  if (query.code) select = select.where(sql<string>`upper(code)`, '=', query.code.toUpperCase());
  if (query.active !== undefined) select = select.where('active', '=', query.active);
  return toPage(await select.execute(), query.limit, (row) => [row.id]);
}

export async function updatePromotion(
  db: Executor,
  id: string,
  patch: PromotionUpdateBody,
  expectedVersion: number | null,
): Promise<PromotionRow> {
  offered.invalidate();
  return inTransaction(db, async (tx) => {
    const current = await tx
      .selectFrom('promotions')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw notFound('Promotion', id);
    if (expectedVersion !== null && expectedVersion !== current.version) {
      throw staleVersion(presentPromotion(current));
    }
    if (patch.usage_limit != null && patch.usage_limit < current.times_used) {
      throw invalid('The usage limit is below the number of orders that already used the promotion', [
        { field: '/body/usage_limit', message: `must be at least ${current.times_used}` },
      ]);
    }
    const {
      times_used: _used,
      version: _version,
      created_at: _created,
      updated_at: _updated,
      ...base
    } = current;
    const draft = applyBody(base, patch);
    assertWellFormed(draft);
    try {
      return await tx
        .updateTable('promotions')
        .set({ ...toColumns(draft), version: current.version + 1, updated_at: new Date() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicateCode(patch.code);
      throw error;
    }
  });
}

/** Used promotions stay for the record of the orders that used them: deactivate those instead. */
export async function deletePromotion(db: Executor, id: string): Promise<void> {
  offered.invalidate();
  const current = await getPromotion(db, id);
  if (current.times_used > 0) {
    throw conflict('promotion_in_use', 'Orders used this promotion; set `active: false` to retire it');
  }
  const result = await db
    .deleteFrom('promotions')
    .where('id', '=', id)
    .where('times_used', '=', 0)
    .executeTakeFirst();
  if (result.numDeletedRows === 0n) throw conflict('promotion_in_use', 'The promotion was used meanwhile');
}

export interface PromotionLookup {
  channelId: string;
  currency: string;
  /** Codes as the shopper typed them. */
  codes: readonly string[];
  now?: Date;
  /**
   * A cart may use this node's copy (see ConfigMemo): a promotion that just changed, started,
   * ended or ran out shows on carts a moment late. Checkout reads fresh and counts uses under lock.
   */
  cached?: boolean;
}

/**
 * The promotions a cart should be evaluated against, as engine objects: every active
 * automatic promotion that could apply in this channel, currency and moment, plus every
 * active promotion matching an entered code. Coded promotions are returned even when they
 * cannot apply (wrong channel, expired, …) so the engine can tell the shopper why, and even
 * when their usage limit is reached: checkout then refuses with `promotion_limit_reached`
 * instead of silently charging full price. Automatic promotions past their limit are left
 * out: the shopper never asked for them.
 */
export async function loadApplicablePromotions(
  db: Executor,
  lookup: PromotionLookup,
): Promise<EnginePromotion[]> {
  const codes = [...new Set(lookup.codes.map((code) => code.trim().toUpperCase()).filter(Boolean))];
  if (!lookup.cached || lookup.now) return queryApplicablePromotions(db, lookup, codes);
  return offered.read(`${lookup.channelId}|${lookup.currency}|${codes.sort().join('|')}`, () =>
    queryApplicablePromotions(db, lookup, codes),
  );
}

async function queryApplicablePromotions(
  db: Executor,
  lookup: PromotionLookup,
  codes: string[],
): Promise<EnginePromotion[]> {
  const now = lookup.now ?? new Date();
  const rows = await db
    .selectFrom('promotions')
    .selectAll()
    .where('active', '=', literal(true))
    .where((eb) =>
      eb.or([
        eb.and([
          eb('code', 'is', null),
          eb.or([
            eb('channel_ids', '=', sql<string[]>`'{}'`),
            eb(sql.val(lookup.channelId), '=', eb.fn.any('channel_ids')),
          ]),
          eb.or([eb('currency', 'is', null), eb('currency', '=', lookup.currency)]),
          eb.or([eb('starts_at', 'is', null), eb('starts_at', '<=', now)]),
          eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', now)]),
          eb.or([eb('usage_limit', 'is', null), eb('times_used', '<', eb.ref('usage_limit'))]),
        ]),
        ...(codes.length > 0 ? [eb(sql<string>`upper(code)`, 'in', codes)] : []),
      ]),
    )
    .orderBy('id')
    .execute();
  return rows.map(toEnginePromotion);
}

export interface Redemption {
  promotionIds: readonly string[];
  orderId: string;
  customerId: string | null;
  /** Guests are limited per e-mail address. */
  email?: string | null;
}

export const promotionLimitReached = (promotion: { id: string; code: string | null }, perCustomer: boolean) =>
  new ApiError(
    409,
    'promotion_limit_reached',
    perCustomer
      ? `You have already used ${promotion.code ?? 'this promotion'} as often as it allows`
      : `${promotion.code ?? 'This promotion'} has been used as often as it allows; remove it from the cart to continue`,
    { promotion_id: promotion.id, promotion_code: promotion.code, per_customer: perCustomer },
  );

/**
 * Counts the use of each promotion by an order, inside the checkout transaction. The
 * guarded UPDATE both checks and increments the global counter atomically and holds the
 * promotion's row lock until commit, so concurrent checkouts queue on it; the per-customer
 * count that follows is therefore read after every earlier redemption committed (READ
 * COMMITTED takes a new snapshot per statement). Throws 409 `promotion_limit_reached`;
 * the caller's transaction rolls back the increments made so far.
 */
export async function redeemPromotions(tx: Executor, redemption: Redemption): Promise<void> {
  const email = redemption.email?.trim().toLowerCase() || null;
  // A fixed lock order (by id) keeps two checkouts with the same two codes from deadlocking.
  for (const promotionId of [...new Set(redemption.promotionIds)].sort()) {
    const counted = await sql<{
      code: string | null;
      usage_limit_per_customer: number | null;
      spent: boolean;
    }>`
      UPDATE promotions SET times_used = times_used + 1
      WHERE id = ${promotionId} AND (usage_limit IS NULL OR times_used < usage_limit)
      RETURNING code, usage_limit_per_customer, times_used = usage_limit AS spent`.execute(tx);
    const promotion = counted.rows[0];
    // A promotion that ran out leaves the offer at once on this node, not only after the memo's TTL.
    if (promotion?.spent) offered.invalidate();
    if (!promotion) {
      const known = await tx
        .selectFrom('promotions')
        .select(['id', 'code'])
        .where('id', '=', promotionId)
        .executeTakeFirst();
      if (!known) throw notFound('Promotion', promotionId);
      throw promotionLimitReached(known, false);
    }
    const limit = promotion.usage_limit_per_customer;
    if (limit !== null && (redemption.customerId || email)) {
      const used = await tx
        .selectFrom('promotion_redemptions')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('promotion_id', '=', promotionId)
        .where((eb) =>
          redemption.customerId
            ? eb('customer_id', '=', redemption.customerId)
            : eb('customer_email', '=', email),
        )
        .executeTakeFirstOrThrow();
      if (Number(used.count) >= limit)
        throw promotionLimitReached({ id: promotionId, code: promotion.code }, true);
    }
    await tx
      .insertInto('promotion_redemptions')
      .values({
        id: newId('prdm'),
        promotion_id: promotionId,
        order_id: redemption.orderId,
        customer_id: redemption.customerId,
        customer_email: redemption.customerId ? null : email,
      })
      .execute();
  }
}

/** Gives back the uses an order took, when its payment fails before it was ever placed. */
export async function releasePromotionRedemptions(tx: Executor, orderId: string): Promise<void> {
  const released = await tx
    .deleteFrom('promotion_redemptions')
    .where('order_id', '=', orderId)
    .returning('promotion_id')
    .execute();
  if (released.length > 0) offered.invalidate();
  for (const { promotion_id } of released.sort((a, b) => a.promotion_id.localeCompare(b.promotion_id))) {
    await sql`UPDATE promotions SET times_used = times_used - 1 WHERE id = ${promotion_id} AND times_used > 0`.execute(
      tx,
    );
  }
}
