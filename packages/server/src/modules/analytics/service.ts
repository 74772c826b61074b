import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import {
  conversionRates,
  type DailyRow,
  dayKeys,
  fillDaily,
  type ProductSalesRow,
  rankProducts,
  windowStart,
} from './series.js';

export interface OverviewInput {
  days: number;
  channelId?: string;
  /** The last day of the window (default: now); tests pin it. */
  until?: Date;
  topLimit?: number;
}

/*
 * Read-only aggregates over other modules' tables. Neither orders, events nor personalisation
 * exports an aggregate, and pulling every row through their per-row functions would move a
 * month of orders into the process to add them up; these are plain GROUP BYs instead.
 * A sale is an order that was placed (authorised or better) and not cancelled, counted on the
 * UTC day it was placed, at its order total.
 */

async function dailySales(db: Executor, from: Date, channelId?: string): Promise<DailyRow[]> {
  const day = sql<string>`to_char(placed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;
  const rows = await db
    .selectFrom('orders')
    .select([
      day.as('day'),
      'currency',
      sql<string>`count(*)`.as('orders'),
      sql<string>`coalesce(sum(total), 0)`.as('revenue'),
    ])
    .where('placed_at', '>=', from)
    .where('cancelled', '=', false)
    .$if(channelId !== undefined, (query) => query.where('channel_id', '=', channelId!))
    .groupBy([day, 'currency'])
    .execute();
  return rows.map((row) => ({ ...row, orders: Number(row.orders), revenue: Number(row.revenue) }));
}

async function productSales(db: Executor, from: Date, channelId?: string): Promise<ProductSalesRow[]> {
  const rows = await db
    .selectFrom('order_lines')
    .innerJoin('orders', 'orders.id', 'order_lines.order_id')
    .select([
      'order_lines.product_id',
      'orders.currency',
      sql<string>`max(order_lines.product_title)`.as('title'),
      sql<string>`sum(order_lines.quantity)`.as('units'),
      sql<string>`sum(order_lines.total)`.as('revenue'),
    ])
    .where('orders.placed_at', '>=', from)
    .where('orders.cancelled', '=', false)
    .$if(channelId !== undefined, (query) => query.where('orders.channel_id', '=', channelId!))
    .groupBy(['order_lines.product_id', 'orders.currency'])
    .execute();
  return rows.map((row) => ({ ...row, units: Number(row.units), revenue: Number(row.revenue) }));
}

async function funnelCounts(db: Executor, from: Date, channelId?: string) {
  const [views, carts, orders] = await Promise.all([
    db
      .selectFrom('interactions')
      .select(sql<string>`count(*)`.as('count'))
      .where('kind', '=', 'product_view')
      .where('occurred_at', '>=', from)
      .$if(channelId !== undefined, (query) => query.where('channel_id', '=', channelId!))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('events')
      .select(sql<string>`count(*)`.as('count'))
      .where('type', '=', 'cart.created')
      .where('created_at', '>=', from)
      .$if(channelId !== undefined, (query) => query.where('channel_id', '=', channelId!))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('orders')
      .select(sql<string>`count(*)`.as('count'))
      .where('placed_at', '>=', from)
      .$if(channelId !== undefined, (query) => query.where('channel_id', '=', channelId!))
      .executeTakeFirstOrThrow(),
  ]);
  return { views: Number(views.count), carts: Number(carts.count), orders: Number(orders.count) };
}

/** Orders and revenue per day, top products and the view → cart → order funnel of a window. */
export async function analyticsOverview(db: Executor, input: OverviewInput) {
  const until = input.until ?? new Date();
  const from = windowStart(until, input.days);
  const [daily, products, funnel] = await Promise.all([
    dailySales(db, from, input.channelId),
    productSales(db, from, input.channelId),
    funnelCounts(db, from, input.channelId),
  ]);
  return {
    from: from.toISOString(),
    days: input.days,
    daily: fillDaily(daily, dayKeys(until, input.days)),
    top_products: rankProducts(products, input.topLimit ?? 10),
    funnel: { ...funnel, rates: conversionRates(funnel) },
  };
}
