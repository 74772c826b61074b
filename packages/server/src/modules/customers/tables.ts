import type { Generated, Selectable } from 'kysely';

export interface CustomersTable {
  id: string;
  email: string;
  password_hash: string;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  metadata: Record<string, unknown>;
  consent_personalisation: Generated<boolean>;
  consent_personalisation_updated_at: Date | null;
  consent_marketing: Generated<boolean>;
  consent_marketing_updated_at: Date | null;
  failed_login_count: Generated<number>;
  last_failed_login_at: Date | null;
  locked_until: Date | null;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CustomerAddressesTable {
  id: string;
  customer_id: string;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  line1: string;
  line2: string | null;
  city: string;
  postal_code: string | null;
  region: string | null;
  country: string;
  phone: string | null;
  is_default_shipping: Generated<boolean>;
  is_default_billing: Generated<boolean>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CustomerSessionsTable {
  id: string;
  customer_id: string;
  token_hash: string;
  channel_id: string;
  user_agent: string | null;
  expires_at: Date;
  revoked_at: Date | null;
  created_at: Generated<Date>;
}

export interface PasswordResetTokensTable {
  id: string;
  customer_id: string;
  token_hash: string;
  channel_id: string | null;
  expires_at: Date;
  used_at: Date | null;
  created_at: Generated<Date>;
}

export interface CustomerGroupsTable {
  id: string;
  name: string;
  description: string | null;
  metadata: Record<string, unknown>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CustomerGroupMembersTable {
  group_id: string;
  customer_id: string;
  created_at: Generated<Date>;
}

export type CustomerRow = Selectable<CustomersTable>;
export type CustomerAddressRow = Selectable<CustomerAddressesTable>;
export type CustomerGroupRow = Selectable<CustomerGroupsTable>;

declare module '../../db/database.js' {
  interface Database {
    customers: CustomersTable;
    customer_addresses: CustomerAddressesTable;
    customer_sessions: CustomerSessionsTable;
    password_reset_tokens: PasswordResetTokensTable;
    customer_groups: CustomerGroupsTable;
    customer_group_members: CustomerGroupMembersTable;
  }
}
