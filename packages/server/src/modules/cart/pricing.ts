import type { Executor } from '../../db/database.js';
import { getSellableVariants, type SellableVariant } from '../catalog/sellable.js';
import { getCustomerGroupIds } from '../customers/session.js';
import { type Availability, getAvailability } from '../inventory/availability.js';
import { evaluatePromotions, type PromotionEvaluation } from '../promotions/engine.js';
import { loadApplicablePromotions } from '../promotions/service.js';
import { getCustomerSegmentIds } from '../segments/membership.js';
import { quoteShippingOptions, type ShippingQuote } from '../shipping/options.js';
import { resolveTaxRule, type TaxRule } from '../shipping/regions.js';
import { type CartWithLines, getCart } from './access.js';
import type { CartLineRow, CartRow } from './tables.js';
import { type CartTotals, computeTotals, type LineTotals } from './totals.js';

export interface PricedLine {
  line: CartLineRow;
  /** Catalog facts and price for the channel; null when the channel no longer sells it. */
  variant: SellableVariant | null;
  /** True when the line counts: sellable and priced in the cart currency. */
  sellable: boolean;
  unitPrice: number | null;
  availability: Availability | null;
  totals: LineTotals | null;
}

export interface PricedCart {
  cart: CartRow;
  lines: PricedLine[];
  /** Channel and currency the prices were selected for (may differ from the stored cart's). */
  channelId: string;
  currency: string;
  taxRule: TaxRule | null;
  promotions: PromotionEvaluation;
  shippingQuotes: ShippingQuote[];
  /** The chosen option, when it still serves the cart. */
  shipping: ShippingQuote | null;
  totals: CartTotals;
  totalWeightGrams: number;
}

export interface PriceOptions {
  /** Price for another channel than the cart's (the owner continues it elsewhere). */
  channelId?: string;
  currency?: string;
  customerGroupIds?: readonly string[];
  /** Default: the segments of the cart's owner (none for an anonymous cart). */
  segmentIds?: readonly string[];
  now?: Date;
  /** False when the caller reads stock itself afterwards (a cart write that moves holds). */
  withAvailability?: boolean;
  /**
   * True for carts: promotions, regions and shipping options may come from this node's
   * short-lived copy (lib/config-memo.ts). Checkout leaves it false and prices from fresh rows.
   */
  cachedConfig?: boolean;
}

/**
 * Prices a cart from the server's own data only: unit prices from the catalog's price
 * selection for the channel, currency, customer groups and segments of the owner; promotions from the promotions
 * service through the pure engine; tax from the region of the shipping address; shipping
 * from the chosen option; totals from the pure `computeTotals`. Checkout calls this with
 * its transaction so the order is priced exactly like the cart the shopper saw.
 *
 * Without a shipping address no region is known: tax is 0 and totals are the shelf prices.
 */
export async function priceCart(
  db: Executor,
  source: string | CartWithLines,
  options: PriceOptions = {},
): Promise<PricedCart> {
  const { cart, lines } = typeof source === 'string' ? await getCart(db, source) : source;
  const channelId = options.channelId ?? cart.channel_id;
  const currency = options.currency ?? cart.currency;
  const customerGroupIds =
    options.customerGroupIds ?? (cart.customer_id ? await getCustomerGroupIds(db, cart.customer_id) : []);
  const segmentIds =
    options.segmentIds ?? (cart.customer_id ? await getCustomerSegmentIds(db, cart.customer_id) : []);
  const variantIds = lines.map((line) => line.variant_id);
  const [variants, stock] = await Promise.all([
    getSellableVariants(db, { channelId, currency, variantIds, customerGroupIds, segmentIds }),
    options.withAvailability === false
      ? new Map<string, Availability>()
      : getAvailability(db, { channelId, variantIds }),
  ]);
  const priced = lines.map((line) => {
    const variant = variants.get(line.variant_id) ?? null;
    const unitPrice = variant?.unitPrice ?? null;
    return {
      line,
      variant,
      sellable: unitPrice !== null,
      unitPrice,
      availability: stock.get(line.variant_id) ?? null,
    };
  });
  const counted = priced.filter((entry) => entry.sellable);

  const promotions = evaluatePromotions(
    await loadApplicablePromotions(db, {
      channelId,
      currency,
      codes: cart.promotion_codes,
      now: options.now,
      cached: options.cachedConfig,
    }),
    {
      now: (options.now ?? new Date()).toISOString(),
      channelId,
      currency,
      customerGroupIds,
      segmentIds,
      codes: cart.promotion_codes,
      lines: counted.map((entry) => ({
        lineId: entry.line.id,
        productId: entry.variant?.productId ?? '',
        categoryIds: entry.variant?.categoryIds ?? [],
        collectionIds: entry.variant?.collectionIds ?? [],
        unitPrice: entry.unitPrice ?? 0,
        quantity: entry.line.quantity,
      })),
    },
  );
  const lineDiscounts: Record<string, number> = {};
  for (const applied of promotions.applied) {
    for (const [lineId, amount] of Object.entries(applied.lineAllocations)) {
      lineDiscounts[lineId] = (lineDiscounts[lineId] ?? 0) + amount;
    }
  }

  const address = cart.shipping_address;
  const taxRule = address
    ? await resolveTaxRule(
        db,
        { country: address.country, province: address.region },
        { cached: options.cachedConfig },
      )
    : null;
  const merchandise = counted.reduce(
    (sum, entry) => sum + (entry.unitPrice ?? 0) * entry.line.quantity - (lineDiscounts[entry.line.id] ?? 0),
    0,
  );
  const totalWeightGrams = counted.reduce(
    (sum, entry) => sum + (entry.variant?.weightGrams ?? 0) * entry.line.quantity,
    0,
  );
  const shippingQuotes = taxRule
    ? await quoteShippingOptions(
        db,
        {
          regionId: taxRule.regionId,
          currency,
          subtotalAfterDiscounts: merchandise,
          totalWeightGrams,
        },
        { cached: options.cachedConfig },
      )
    : [];
  const shipping = shippingQuotes.find((quote) => quote.option.id === cart.shipping_option_id) ?? null;

  const taxRateBps = taxRule?.taxRateBps ?? 0;
  const totals = computeTotals({
    currency,
    taxInclusive: taxRule?.taxInclusive ?? false,
    lines: counted.map((entry) => ({
      lineId: entry.line.id,
      unitPrice: entry.unitPrice ?? 0,
      quantity: entry.line.quantity,
      taxRateBps,
    })),
    lineDiscounts,
    shipping: shipping ? { amount: shipping.amount, taxRateBps } : null,
  });
  const lineTotals = new Map(totals.lines.map((line) => [line.lineId, line]));

  return {
    cart,
    lines: priced.map((entry) => ({ ...entry, totals: lineTotals.get(entry.line.id) ?? null })),
    channelId,
    currency,
    taxRule,
    promotions,
    shippingQuotes,
    shipping,
    totals,
    totalWeightGrams,
  };
}
