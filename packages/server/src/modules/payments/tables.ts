import type { Generated, Selectable } from 'kysely';

export type PaymentStatus =
  | 'pending'
  | 'requires_action'
  | 'authorised'
  | 'declined'
  | 'failed'
  | 'captured'
  | 'partially_refunded'
  | 'refunded'
  | 'voided';

export interface PaymentsTable {
  id: string;
  order_id: string | null;
  cart_id: string;
  channel_id: string;
  provider: string;
  provider_reference: string | null;
  provider_data: Record<string, unknown>;
  currency: string;
  amount: number;
  captured_amount: Generated<number>;
  refunded_amount: Generated<number>;
  status: PaymentStatus;
  decline_code: string | null;
  last_error: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface PaymentOperationsTable {
  id: string;
  payment_id: string;
  kind: 'authorise' | 'capture' | 'void' | 'refund' | 'webhook';
  amount: number;
  succeeded: boolean;
  provider_reference: string | null;
  error: string | null;
  /** `pending` while the provider call is in flight (claimed, outcome not yet recorded). */
  status: PaymentOperationStatus;
  attempted_at: Generated<Date>;
  settled_at: Date | null;
  /** Opaque to payments: what the caller needs to finish the operation after a crash. */
  context: Record<string, unknown>;
  created_at: Generated<Date>;
}

export type PaymentOperationStatus = 'pending' | 'succeeded' | 'failed';
export type PaymentOperationRow = Selectable<PaymentOperationsTable>;

export type PaymentRow = Selectable<PaymentsTable>;

declare module '../../db/database.js' {
  interface Database {
    payments: PaymentsTable;
    payment_operations: PaymentOperationsTable;
  }
}
