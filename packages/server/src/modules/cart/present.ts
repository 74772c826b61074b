import type { PricedCart } from './pricing.js';

export interface PresentExtras {
  /** Set when this response re-selected prices for another channel than the cart was last in. */
  repricedForChannel?: string | null;
  reservationExpiresAt?: Date | null;
}

export function presentCart(priced: PricedCart, extras: PresentExtras = {}) {
  const { cart, totals } = priced;
  const repriced =
    extras.repricedForChannel ?? (priced.channelId !== cart.channel_id ? priced.channelId : null);
  return {
    id: cart.id,
    status: cart.status,
    channel_id: cart.channel_id,
    previous_channel_id: cart.previous_channel_id,
    repriced_for_channel: repriced,
    customer_id: cart.customer_id,
    currency: priced.currency,
    email: cart.email,
    shipping_address: cart.shipping_address,
    billing_address: cart.billing_address,
    shipping_option_id: cart.shipping_option_id,
    promotion_codes: cart.promotion_codes,
    lines: priced.lines.map(({ line, variant, sellable, unitPrice, availability, totals: lineTotals }) => {
      const snapshot = line.snapshot;
      return {
        id: line.id,
        variant_id: line.variant_id,
        product_id: variant?.productId ?? snapshot?.product_id ?? null,
        product_handle: variant?.productHandle ?? snapshot?.product_handle ?? null,
        product_title: variant?.productTitle ?? snapshot?.product_title ?? null,
        variant_title: variant?.variantTitle ?? snapshot?.variant_title ?? null,
        sku: variant?.sku ?? snapshot?.sku ?? null,
        option_values: variant?.optionValues ?? snapshot?.option_values ?? {},
        image_url: variant ? variant.imageUrl : (snapshot?.image_url ?? null),
        quantity: line.quantity,
        unit_price: unitPrice,
        previous_unit_price:
          line.unit_price !== null && line.unit_price !== unitPrice ? line.unit_price : null,
        sellable,
        subtotal: lineTotals?.subtotal ?? 0,
        discount: lineTotals?.discount ?? 0,
        tax: lineTotals?.tax ?? 0,
        total: lineTotals?.total ?? 0,
        stock: availability
          ? {
              tracked: availability.tracked,
              available: availability.available,
              in_stock: availability.inStock,
            }
          : null,
      };
    }),
    totals: {
      subtotal: totals.subtotal,
      discount_total: totals.discountTotal,
      shipping_total: totals.shippingTotal,
      tax_total: totals.taxTotal,
      total: totals.total,
    },
    tax: priced.taxRule
      ? {
          region_id: priced.taxRule.regionId,
          rate_bps: priced.taxRule.taxRateBps,
          inclusive: priced.taxRule.taxInclusive,
        }
      : null,
    shipping:
      priced.shipping && totals.shipping
        ? {
            option_id: priced.shipping.option.id,
            name: priced.shipping.option.name,
            amount: totals.shipping.amount,
            tax: totals.shipping.tax,
          }
        : null,
    shipping_options_available: priced.shippingQuotes.length,
    applied_promotions: priced.promotions.applied.map((applied) => ({
      promotion_id: applied.promotionId,
      code: applied.code,
      amount: applied.amount,
    })),
    rejected_codes: priced.promotions.rejectedCodes,
    reservation_expires_at: extras.reservationExpiresAt?.toISOString() ?? null,
    order_id: cart.order_id,
    merged_into: cart.merged_into,
    version: cart.version,
    created_at: cart.created_at.toISOString(),
    updated_at: cart.updated_at.toISOString(),
    completed_at: cart.completed_at?.toISOString() ?? null,
  };
}

export type PresentedCart = ReturnType<typeof presentCart>;
