import type { Generated, Selectable } from 'kysely';

export type InteractionKind = 'product_view' | 'search' | 'add_to_cart' | 'list_click' | 'purchase';
/** Which co-occurrence a count belongs to: orders (one basket each) or views (one basket per shopper-day). */
export type CountSignal = 'purchase' | 'view';
export type NeighbourIntent = 'related' | 'bought_together';

export interface PersonalisationVisitorsTable {
  id: string;
  channel_id: string;
  customer_id: string | null;
  consented_at: Date;
  stitched_at: Date | null;
  created_at: Generated<Date>;
}

export interface InteractionsTable {
  id: Generated<string>;
  channel_id: string;
  visitor_id: string | null;
  customer_id: string | null;
  kind: InteractionKind;
  product_id: string | null;
  query: string | null;
  list: string | null;
  quantity: number | null;
  order_id: string | null;
  occurred_at: Generated<Date>;
}

export interface RecsItemCountsTable {
  signal: CountSignal;
  product_id: string;
  count: number;
}

export interface RecsPairCountsTable {
  signal: CountSignal;
  product_a: string;
  product_b: string;
  count: number;
}

export interface RecsTotalsTable {
  signal: CountSignal;
  baskets: number;
}

export interface RecsCountedOrdersTable {
  order_id: string;
  counted_at: Generated<Date>;
  retracted_at: Date | null;
}

export interface RecsTrendingTable {
  channel_id: string;
  product_id: string;
  rank_key: number;
}

export interface RecsNeighboursTable {
  intent: NeighbourIntent;
  product_id: string;
  rank: number;
  neighbour_id: string;
  score: number;
  layer: 'ease' | 'cosine';
}

export type InteractionRow = Selectable<InteractionsTable>;
export type VisitorRow = Selectable<PersonalisationVisitorsTable>;

declare module '../../db/database.js' {
  interface Database {
    personalisation_visitors: PersonalisationVisitorsTable;
    interactions: InteractionsTable;
    recs_item_counts: RecsItemCountsTable;
    recs_pair_counts: RecsPairCountsTable;
    recs_totals: RecsTotalsTable;
    recs_counted_orders: RecsCountedOrdersTable;
    recs_trending: RecsTrendingTable;
    recs_neighbours: RecsNeighboursTable;
  }
}
