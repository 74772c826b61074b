import { type RawBuilder, sql } from 'kysely';

/** Who is buying: the SQL side of `PriceContext`. */
export interface PriceScope {
  channelId: string;
  currency: string;
  customerGroupIds?: readonly string[];
  segmentIds?: readonly string[];
  quantity?: number;
  now: Date;
}

/** Which rows of `prices` (aliased `pr`) may apply to this shopper: `isEligible` in SQL. */
function eligible(scope: PriceScope): RawBuilder<unknown> {
  return sql`pr.currency = ${scope.currency}
      AND (pr.channel_id IS NULL OR pr.channel_id = ${scope.channelId})
      AND (pr.customer_group_id IS NULL OR pr.customer_group_id = ANY(${[...(scope.customerGroupIds ?? [])]}::text[]))
      AND (pr.segment_id IS NULL OR pr.segment_id = ANY(${[...(scope.segmentIds ?? [])]}::text[]))
      AND pr.min_quantity <= ${scope.quantity ?? 1}
      AND (pr.starts_at IS NULL OR pr.starts_at <= ${scope.now})
      AND (pr.ends_at IS NULL OR pr.ends_at > ${scope.now})`;
}

/** `comparePriority` in SQL: the first row in this order wins. */
const priority = sql`(pr.segment_id IS NOT NULL) DESC, (pr.customer_group_id IS NOT NULL) DESC,
      (pr.channel_id IS NOT NULL) DESC, pr.min_quantity DESC, pr.starts_at DESC NULLS LAST,
      pr.amount, pr.id COLLATE "C"`;

/**
 * `selectPrice` (select.ts) as a correlated subquery: the winning price row for the
 * variant named by `variantId` (an SQL expression such as `sql.ref('v.id')`), as columns
 * `id` and `amount`. List queries need it inside SQL to filter and sort by price in the
 * same round trip; select-sql.test.ts checks it picks what `selectPrice` picks.
 */
export function selectedPriceSubquery(
  variantId: RawBuilder<unknown>,
  scope: PriceScope,
): RawBuilder<unknown> {
  return sql`SELECT pr.id, pr.amount FROM prices pr
    WHERE pr.variant_id = ${variantId} AND ${eligible(scope)}
    ORDER BY ${priority}
    LIMIT 1`;
}

/**
 * The same selection for every variant at once (`variant_id`, `id`, `amount`): sorting a
 * whole assortment by price reads the prices in one pass instead of one probe per variant.
 */
export function selectedPricesOfAllVariants(scope: PriceScope): RawBuilder<unknown> {
  return sql`SELECT DISTINCT ON (pr.variant_id) pr.variant_id, pr.id, pr.amount FROM prices pr
    WHERE ${eligible(scope)}
    ORDER BY pr.variant_id, ${priority}`;
}
