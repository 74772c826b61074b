/** Pure shaping of the analytics aggregates: no I/O, so the rules are tested directly. */

export interface Amount {
  currency: string;
  amount: number;
}

export interface DailyRow {
  day: string;
  currency: string;
  orders: number;
  revenue: number;
}

export interface DailyPoint {
  date: string;
  orders: number;
  revenue: Amount[];
}

const DAY_MS = 86_400_000;

/** The `days` UTC calendar days ending with the day of `until`, oldest first, as `YYYY-MM-DD`. */
export function dayKeys(until: Date, days: number): string[] {
  const last = Date.UTC(until.getUTCFullYear(), until.getUTCMonth(), until.getUTCDate());
  return Array.from({ length: days }, (_, index) =>
    new Date(last - (days - 1 - index) * DAY_MS).toISOString().slice(0, 10),
  );
}

/** Midnight UTC of the first day of the window, the lower bound every query uses. */
export const windowStart = (until: Date, days: number) => new Date(`${dayKeys(until, days)[0]}T00:00:00Z`);

const addAmount = (amounts: Amount[], currency: string, amount: number) => {
  const existing = amounts.find((entry) => entry.currency === currency);
  if (existing) existing.amount += amount;
  else amounts.push({ currency, amount });
};

/**
 * One point per day of the window, days without orders included (a chart must show the gap),
 * revenue kept per currency: amounts in different currencies are never added together.
 */
export function fillDaily(rows: DailyRow[], keys: string[]): DailyPoint[] {
  const byDay = new Map(keys.map((date) => [date, { date, orders: 0, revenue: [] as Amount[] }]));
  for (const row of rows) {
    const point = byDay.get(row.day);
    if (!point) continue;
    point.orders += row.orders;
    addAmount(point.revenue, row.currency, row.revenue);
  }
  for (const point of byDay.values()) point.revenue.sort((a, b) => a.currency.localeCompare(b.currency));
  return [...byDay.values()];
}

export interface ProductSalesRow {
  product_id: string;
  title: string;
  currency: string;
  units: number;
  revenue: number;
}

export interface TopProduct {
  product_id: string;
  title: string;
  units: number;
  revenue: Amount[];
}

/** Products by units sold, ties by ID so the order is stable. */
export function rankProducts(rows: ProductSalesRow[], limit: number): TopProduct[] {
  const byProduct = new Map<string, TopProduct>();
  for (const row of rows) {
    const product = byProduct.get(row.product_id) ?? {
      product_id: row.product_id,
      title: row.title,
      units: 0,
      revenue: [],
    };
    product.units += row.units;
    addAmount(product.revenue, row.currency, row.revenue);
    byProduct.set(row.product_id, product);
  }
  return [...byProduct.values()]
    .sort((a, b) => b.units - a.units || a.product_id.localeCompare(b.product_id))
    .slice(0, limit);
}

export interface Funnel {
  views: number;
  carts: number;
  orders: number;
}

/** Step-to-step rates in [0, 1] (null when the earlier step is zero: no rate, not 0 %). */
export function conversionRates(funnel: Funnel) {
  const rate = (from: number, to: number) => (from > 0 ? Math.min(1, to / from) : null);
  return {
    view_to_cart: rate(funnel.views, funnel.carts),
    cart_to_order: rate(funnel.carts, funnel.orders),
    view_to_order: rate(funnel.views, funnel.orders),
  };
}
