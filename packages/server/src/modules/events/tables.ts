import type { Generated, Selectable } from 'kysely';

export interface EventsTable {
  seq: Generated<number>;
  id: string;
  type: string;
  resource_type: string;
  resource_id: string;
  channel_id: string | null;
  customer_id: string | null;
  data: unknown;
  created_at: Generated<Date>;
}

export type EventRow = Selectable<EventsTable>;

declare module '../../db/database.js' {
  interface Database {
    events: EventsTable;
  }
}
