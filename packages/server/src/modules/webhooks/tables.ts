import type { Generated, Selectable } from 'kysely';

export interface WebhookEndpointsTable {
  id: string;
  url: string;
  description: Generated<string>;
  event_types: string[];
  secret: string;
  enabled: Generated<boolean>;
  start_seq: number;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;

declare module '../../db/database.js' {
  interface Database {
    webhook_endpoints: WebhookEndpointsTable;
  }
}
