/** The fields of a presented cart line that notices are derived from. */
export interface NoticeLine {
  id: string;
  variant_id: string;
  unit_price: number | null;
  previous_unit_price: number | null;
  sellable: boolean;
  stock: { tracked: boolean; available: number | null; in_stock: boolean } | null;
}

export type CartNotice =
  | {
      type: 'price_changed';
      line_id: string;
      variant_id: string;
      previous_unit_price: number;
      unit_price: number | null;
    }
  | { type: 'out_of_stock'; line_id: string; variant_id: string; available: number | null }
  | { type: 'unavailable'; line_id: string; variant_id: string };

/**
 * What a head should tell the shopper about the cart right now: a line whose price moved
 * since it was last written, ran out of stock, or can no longer be bought in this channel.
 * Derived from the cart as the cart module presents it, so every head gets the same story.
 */
export function cartNotices(cart: { lines: readonly NoticeLine[] }): CartNotice[] {
  const notices: CartNotice[] = [];
  for (const line of cart.lines) {
    const ids = { line_id: line.id, variant_id: line.variant_id };
    if (!line.sellable) {
      notices.push({ type: 'unavailable', ...ids });
      continue;
    }
    if (line.previous_unit_price !== null && line.previous_unit_price !== line.unit_price) {
      notices.push({
        type: 'price_changed',
        ...ids,
        previous_unit_price: line.previous_unit_price,
        unit_price: line.unit_price,
      });
    }
    if (line.stock?.tracked && !line.stock.in_stock) {
      notices.push({ type: 'out_of_stock', ...ids, available: line.stock.available });
    }
  }
  return notices;
}
