import type { PricedCart } from '../cart/pricing.js';
import type { OrderLinesTable, OrderPromotionSnapshot, OrdersTable } from './tables.js';

export interface SnapshotInput {
  orderId: string;
  priced: PricedCart;
  email: string | null;
  customerId: string | null;
  accessTokenHash: string;
}

export type OrderValues = Omit<
  OrdersTable,
  | 'number'
  | 'authorised_amount'
  | 'captured_amount'
  | 'refunded_amount'
  | 'delivered'
  | 'cancelled'
  | 'committed_stock'
  | 'authorised_at'
  | 'paid_at'
  | 'version'
  | 'created_at'
  | 'updated_at'
>;
export type OrderLineValues = Omit<OrderLinesTable, 'fulfilled_quantity' | 'returned_quantity'>;

/**
 * The order as an immutable copy of the priced cart: product facts, unit prices, discounts,
 * tax, shipping and addresses as they were at checkout. Later catalog or price changes never
 * alter it. Only sellable lines are copied (checkout refuses carts with other lines).
 */
export function orderSnapshot(input: SnapshotInput): { order: OrderValues; lines: OrderLineValues[] } {
  const { priced } = input;
  const { cart, totals } = priced;
  const promotions: OrderPromotionSnapshot[] = priced.promotions.applied.map((applied) => ({
    promotion_id: applied.promotionId,
    code: applied.code,
    amount: applied.amount,
  }));
  const lines = priced.lines
    .filter((entry) => entry.sellable && entry.variant && entry.totals && entry.unitPrice !== null)
    .map((entry, position): OrderLineValues => {
      const variant = entry.variant!;
      const lineTotals = entry.totals!;
      return {
        id: `${input.orderId.replace(/^ord_/, 'oli_')}_${position + 1}`,
        order_id: input.orderId,
        position: position + 1,
        variant_id: variant.variantId,
        product_id: variant.productId,
        sku: variant.sku,
        product_title: variant.productTitle,
        variant_title: variant.variantTitle,
        image_url: variant.imageUrl,
        unit_price: entry.unitPrice!,
        quantity: entry.line.quantity,
        subtotal: lineTotals.subtotal,
        discount: lineTotals.discount,
        tax: lineTotals.tax,
        tax_rate_bps: priced.taxRule?.taxRateBps ?? 0,
        total: lineTotals.total,
      };
    });
  return {
    order: {
      id: input.orderId,
      cart_id: cart.id,
      channel_id: priced.channelId,
      customer_id: input.customerId,
      email: input.email,
      status: 'pending',
      currency: priced.currency,
      subtotal: totals.subtotal,
      discount_total: totals.discountTotal,
      shipping_total: totals.shippingTotal,
      tax_total: totals.taxTotal,
      total: totals.total,
      tax_inclusive: priced.taxRule?.taxInclusive ?? false,
      cancel_reason: null,
      shipping_address: cart.shipping_address,
      billing_address: cart.billing_address ?? cart.shipping_address,
      shipping_method: priced.shipping
        ? {
            option_id: priced.shipping.option.id,
            name: priced.shipping.option.name,
            amount: priced.shipping.amount,
          }
        : null,
      promotions,
      access_token_hash: input.accessTokenHash,
      placed_at: null,
    },
    lines,
  };
}
