import type { Generated } from 'kysely';

export type CaptureMode = 'automatic' | 'manual';

export interface CheckoutChannelSettingsTable {
  channel_id: string;
  capture_mode: CaptureMode;
  version: Generated<number>;
  updated_at: Generated<Date>;
}

declare module '../../db/database.js' {
  interface Database {
    checkout_channel_settings: CheckoutChannelSettingsTable;
  }
}
