import type { Generated, Insertable, Selectable } from 'kysely';

export interface ChannelsTable {
  id: string;
  name: string;
  kind: string;
  default_currency: string;
  currencies: string[];
  locale: string;
  head_profile: 'full' | 'compact' | 'speakable';
  metadata: Record<string, unknown>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ApiKeysTable {
  id: string;
  kind: 'publishable' | 'secret';
  name: string;
  channel_id: string | null;
  token_hash: string;
  token_hint: string;
  publishable_token: string | null;
  scopes: string[];
  revoked_at: Date | null;
  created_at: Generated<Date>;
}

export type ChannelRow = Selectable<ChannelsTable>;
export type NewChannelRow = Insertable<ChannelsTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;

declare module '../../db/database.js' {
  interface Database {
    channels: ChannelsTable;
    api_keys: ApiKeysTable;
  }
}
