import type { Generated, Selectable } from 'kysely';

export interface EventsTable {
  /** Assigned by a trigger (after the transaction id), so never written by callers. */
  seq: Generated<number>;
  id: string;
  type: string;
  resource_type: string;
  resource_id: string;
  channel_id: string | null;
  customer_id: string | null;
  data: unknown;
  /** The writing transaction's id (xid8, read as text); shared by the events of one transaction. */
  xid: Generated<string>;
  created_at: Generated<Date>;
}

export interface EventConsumersTable {
  name: string;
  last_seq: number;
  updated_at: Generated<Date>;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'dead';

export interface EventDeliveriesTable {
  id: string;
  consumer: string;
  event_seq: number;
  event_id: string;
  event_type: string;
  status: Generated<DeliveryStatus>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  last_status_code: number | null;
  last_error: string | null;
  last_duration_ms: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface EventDeliveryAttemptsTable {
  id: Generated<number>;
  delivery_id: string;
  attempt: number;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  created_at: Generated<Date>;
}

export type EventRow = Selectable<EventsTable>;
export type DeliveryRow = Selectable<EventDeliveriesTable>;
export type DeliveryAttemptRow = Selectable<EventDeliveryAttemptsTable>;

declare module '../../db/database.js' {
  interface Database {
    events: EventsTable;
    event_consumers: EventConsumersTable;
    event_deliveries: EventDeliveriesTable;
    event_delivery_attempts: EventDeliveryAttemptsTable;
  }
}
